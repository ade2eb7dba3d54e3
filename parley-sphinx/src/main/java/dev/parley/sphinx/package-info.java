/**
 * Offline streaming speech-to-text on CMU Sphinx4 with a domain language model or JSGF grammar.
 * Entry point: {@link dev.parley.sphinx.SphinxStt}.
 */
@NullMarked
package dev.parley.sphinx;

import org.jspecify.annotations.NullMarked;
