package dev.parley.internal;

import dev.parley.spi.ChatMessage;
import java.util.List;

/** What one reply is asked to do (from {@link Effect.StartReply} plus the history at that moment). */
record ReplySpec(int id, List<ChatMessage> messages, String fixedText, boolean gated, boolean interruptible) {
    ReplySpec {
        messages = List.copyOf(messages);
    }
}
