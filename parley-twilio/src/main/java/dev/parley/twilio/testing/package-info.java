/** Loopback fakes of Twilio's HTTP APIs for tests (no internet needed). */
@NullMarked
package dev.parley.twilio.testing;

import org.jspecify.annotations.NullMarked;
