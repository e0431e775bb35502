import { TollboothError } from './base.js';

/** 400: a request body that is not valid JSON. */
export class MalformedJson extends TollboothError {
  constructor() {
    super('malformed_json', 400, 'The request body is not valid JSON.');
  }
}

/** 405: the path exists, the method does not (the answer carries `Allow`). */
export class MethodNotAllowed extends TollboothError {
  constructor(message = 'Method Not Allowed') {
    super('method_not_allowed', 405, message);
  }
}

/** 413: a request body over the limit. */
export class BodyTooLarge extends TollboothError {
  constructor(message: string) {
    super('body_too_large', 413, message);
  }
}

/** 415: a request body of a type the endpoint does not take. */
export class UnsupportedMediaType extends TollboothError {
  constructor(message: string) {
    super('unsupported_media_type', 415, message);
  }
}
