export { shQuote } from '../../core/lib/sh-quote.js';
