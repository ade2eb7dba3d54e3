/** Wire format of the Chat Completions API: request encoding, SSE decoding, chunk assembly, error bodies. */
@NullMarked
package dev.parley.openai.internal;

import org.jspecify.annotations.NullMarked;
