package dev.parley;

/** All the turn-taking, barge-in and prompting rules of a call, in one value (journalled with the call). */
public record CallPolicy(TurnTaking turns, Interruptions interruptions, Prompts prompts) {
    public static CallPolicy defaults() {
        return new CallPolicy(TurnTaking.defaults(), Interruptions.defaults(), Prompts.defaults());
    }
}
