/**
 * Sphinx4 frontend components Parley plugs into the recogniser's XML configuration. Public only
 * because Sphinx4 instantiates them by reflection; not an API.
 */
@NullMarked
package dev.parley.sphinx.frontend;

import org.jspecify.annotations.NullMarked;
