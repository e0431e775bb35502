import { codedError } from './base.js';

/** 400: a request body that is not valid JSON. */
export class MalformedJson extends codedError('malformed_json', 400) {
  constructor() {
    super('The request body is not valid JSON.');
  }
}

/** 405: the path exists, the method does not (the answer carries `Allow`). */
export class MethodNotAllowed extends codedError('method_not_allowed', 405) {
  constructor(message = 'Method Not Allowed') {
    super(message);
  }
}

/** 413: a request body over the limit. */
export class BodyTooLarge extends codedError('body_too_large', 413) {}

/** 415: a request body of a type the endpoint does not take. */
export class UnsupportedMediaType extends codedError('unsupported_media_type', 415) {}
