export { DEMO_LOGIN, seedDemo } from './seed.js';
