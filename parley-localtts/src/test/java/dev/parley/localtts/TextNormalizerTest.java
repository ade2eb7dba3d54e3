package dev.parley.localtts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextNormalizerTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            That is $12.50 please.          | That is $12.50 please.
            Only $0.99 today                | Only 99 cents today
            It costs $.05                   | It costs 5 cents
            That's $3.5 extra               | That's $3.50 extra
            €5 or €1.5 or £2.05             | 5 euros or 1 euro 50 cents or 2 pounds 5 pence
            Open at 10am and 11 AM          | Open at 10 a m and 11 a m
            I am here at 7:45 PM            | I am here at 7:45 PM
            Tom & Jerry, order #42          | Tom and Jerry, order number 42
            **Great** choice 😀             | Great choice
            café naïve                      | cafe naive
            2 lbs, 15 mins                  | 2 pounds, 15 minutes
            pizza vs. pasta etc.            | pizza versus pasta et cetera
            It’s “fine” — really            | It's "fine", really
            """)
    void rewritesWhatFreeTtsReadsBadlyAndKeepsTheRest(String in, String expected) {
        assertThat(TextNormalizer.forFreeTts(in)).isEqualTo(expected);
    }
}
