/**
 * A loopback fake of Deepgram's streaming APIs: live transcription ({@code /v1/listen}) driven by
 * a script of utterances and the energy of the received audio, and Aura speech
 * ({@code /v1/speak}) producing tone audio in proportion to the text, with latencies, limits and
 * failure injection. See {@code shared/protocols/deepgram-live-stt.md} and
 * {@code deepgram-aura-tts-ws.md}.
 */
@NullMarked
package dev.parley.testkit.fakes.deepgram;

import org.jspecify.annotations.NullMarked;
