/**
 * Local, offline text-to-speech: {@link dev.parley.localtts.FreeTts} (English, FreeTTS kevin16) and
 * {@link dev.parley.localtts.EspeakTts} (espeak-ng through the foreign-function API, many languages
 * including Arabic and Urdu). Start with {@link dev.parley.localtts.LocalTts}.
 */
@NullMarked
package dev.parley.localtts;

import org.jspecify.annotations.NullMarked;
