package dev.parley.examples.ordering;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one caller utterance (recogniser text: lowercase, no punctuation, maybe missing articles) into an
 * {@link Intent}. Context-free: what "yes" or "large" mean is decided by {@link OrderEngine} from the dialogue.
 */
final class UtteranceParser {
    private static final Pattern KEYS = Pattern.compile("pressed\\s+(?:the\\s+)?(?:keys?|digits?|buttons?)\\s*:?\\s*([0-9*#]+)");
    private static final List<String> HUMAN = List.of("person", "human", "manager", "representative", "operator",
            "somebody", "someone", "staff", "employee", "transfer me", "real agent", "live agent");
    private static final List<String> REMOVE = List.of("remove", "cancel", "delete", "take off", "take away", "get rid of",
            "drop the", "do not want", "no longer want", "scratch the", "forget the", "leave off", "leave out");
    private static final List<String> EVERYTHING = List.of("everything", "whole order", "the order", "my order",
            "all of it", "start over", "the whole thing", "entire order");
    private static final List<String> READ_BACK = List.of("what do i have", "what is in my order", "what is my order",
            "read back", "read my order", "repeat my order", "repeat the order", "my total", "the total", "what did i order",
            "so far", "what is in my cart", "read it back", "repeat that");
    private static final List<String> PRICE = List.of("how much", "price", "cost", "costs");
    private static final List<String> ABOUT = List.of("what comes on", "what comes with", "what is on", "what is in",
            "what goes on", "what does the", "what do the", "tell me about", "ingredients", "toppings on", "what kind of toppings",
            "does it have", "does the", "what is the", "what are the", "comes with", "come with");
    private static final List<String> MENU_QUESTION = List.of("do you have", "do you sell", "do you guys have", "do you carry",
            "what kind of", "what kinds of", "what type of", "what types of", "options", "what are your", "which",
            "what do you have", "what do you sell", "what do you guys have", "what have you got", "what is good");
    private static final List<String> WHOLE_MENU = List.of("menu", "what do you have", "what do you sell",
            "what do you guys have", "what have you got", "what is good", "what do you recommend");
    private static final List<String> DONE = List.of("that is all", "that is it", "that will be all", "that will be it",
            "nothing else", "i am done", "i am good", "all set", "that is everything", "that should be it",
            "that should do it", "that is about it", "no more", "we are good", "we are done", "that will do",
            "no thanks", "no thank you", "i think that is it", "that is all for now", "that does it", "i am all set");
    private static final List<String> CORRECT = List.of("make that", "make it", "make them", "make those", "make the",
            "make mine", "make my", "change that", "change it", "change the", "change my", "switch", "swap", "instead",
            "i meant", "can you make", "make this");
    private static final List<String> AFFIRM = List.of("yes", "yeah", "yep", "yup", "sure", "correct", "right", "ok",
            "okay", "perfect", "sounds good", "absolutely", "definitely", "go ahead", "please do", "place it",
            "place the order", "place my order", "confirm", "looks good", "exactly", "yes please", "that is right",
            "alright", "great", "uh huh", "you got it", "sounds right");
    private static final List<String> DENY = List.of("no", "nope", "nah", "not", "wrong", "wait", "hold on", "that is wrong");
    private static final Set<String> GREETING_WORDS = Set.of("hi", "hello", "hey", "there", "good", "morning", "afternoon",
            "evening", "how", "are", "you", "doing", "is", "this", "tonys", "pizza", "um", "uh", "oh", "yes", "yeah", "hiya",
            "today", "it", "going");
    private static final List<String> TARGET_PREFIX = List.of("to the", "on the", "on my", "to my", "for the", "on that", "to that");

    private final Menu menu;

    UtteranceParser(Menu menu) {
        this.menu = menu;
    }

    Intent parse(String text) {
        Matcher keys = KEYS.matcher(text.toLowerCase(Locale.ROOT));
        if (keys.find()) {
            return new Intent.Keys(keys.group(1));
        }
        List<String> words = MenuIndex.tokens(text);
        if (words.isEmpty()) {
            return new Intent.Unknown();
        }
        Mentions m = Mentions.of(menu, words);
        if (any(m, HUMAN)) {
            return new Intent.Human();
        }
        if (any(m, REMOVE)) {
            List<Intent.Ref> targets = refs(m);
            if (targets.isEmpty() && any(m, EVERYTHING)) {
                return new Intent.Remove(List.of(), true);
            }
            return new Intent.Remove(targets.isEmpty() ? List.of(Intent.Ref.LAST) : targets, false);
        }
        if (m.has("start over")) {
            return new Intent.Remove(List.of(), true);
        }
        Intent question = question(m);
        if (question != null) {
            return question;
        }
        boolean done = any(m, DONE);
        if (any(m, CORRECT) || (m.has("actually") && !m.hasItems()) || targetsModifiers(m)) {
            Intent.Ref target = m.categories().isEmpty() ? Intent.Ref.LAST : new Intent.Ref("", m.categories().getFirst());
            String size = m.freeSizes().isEmpty() ? "" : m.freeSizes().getFirst();
            if (m.hasItems() || m.freeNumber() > 0 || !size.isEmpty() || !m.freeModifiers().isEmpty()) {
                return new Intent.Correct(m.items(), target, m.freeNumber(), size, m.freeModifiers());
            }
        }
        if (m.hasItems()) {
            return new Intent.Order(m.items(), done);
        }
        if (done) {
            return new Intent.Done(any(m, AFFIRM) && !m.has("no"));
        }
        if (!m.freeModifiers().isEmpty()) {
            return new Intent.Correct(List.of(), Intent.Ref.LAST, 0, "", m.freeModifiers());
        }
        if (any(m, DENY)) {
            return new Intent.Deny();
        }
        if (any(m, AFFIRM)) {
            return new Intent.Affirm();
        }
        if (GREETING_WORDS.containsAll(words) && !words.equals(List.of("pizza"))) {
            return new Intent.Greeting();
        }
        if (!m.categories().isEmpty()) {
            return new Intent.Vague(m.categories().getFirst());
        }
        if (!m.freeSizes().isEmpty()) {
            return new Intent.SizeAnswer(m.freeSizes().getFirst());
        }
        return new Intent.Unknown();
    }

    /** A question about the menu or the order, or null when the utterance asks none. */
    private Intent question(Mentions m) {
        if (any(m, READ_BACK)) {
            return new Intent.ReadBack();
        }
        if (any(m, PRICE)) {
            if (m.hasItems()) {
                return new Intent.AskPrice(m.items());
            }
            if (!m.categories().isEmpty()) {
                return new Intent.AskCategory(m.categories().getFirst());
            }
            return new Intent.ReadBack();
        }
        if (any(m, ABOUT) && m.hasItems()) {
            return new Intent.AskAbout(m.items().getFirst().itemId());
        }
        if (any(m, MENU_QUESTION) || any(m, WHOLE_MENU)) {
            if (m.hasItems()) {
                return new Intent.AskAbout(m.items().getFirst().itemId());
            }
            if (!m.categories().isEmpty()) {
                return new Intent.AskCategory(m.categories().getFirst());
            }
            if (any(m, WHOLE_MENU)) {
                return new Intent.AskMenu();
            }
            String query = tail(m, "have");
            return query.isEmpty() ? new Intent.AskMenu() : new Intent.AskUnknown(query);
        }
        return null;
    }

    /** "add bacon to the burger", "no onions on the burger": modifiers aimed at an item already ordered. */
    private static boolean targetsModifiers(Mentions m) {
        if (!m.hasItems() || m.items().stream().allMatch(i -> i.modifiers().isEmpty()) && m.freeModifiers().isEmpty()) {
            return false;
        }
        return any(m, TARGET_PREFIX) && m.items().size() == 1;
    }

    private static List<Intent.Ref> refs(Mentions m) {
        List<Intent.Ref> refs = new ArrayList<>();
        m.items().forEach(i -> refs.add(new Intent.Ref(i.itemId(), "")));
        m.categories().forEach(c -> refs.add(new Intent.Ref("", c)));
        return refs;
    }

    private static String tail(Mentions m, String after) {
        int at = m.words().lastIndexOf(after);
        if (at < 0 || at + 1 >= m.words().size()) {
            return "";
        }
        List<String> rest = new ArrayList<>(m.words().subList(at + 1, m.words().size()));
        rest.removeAll(List.of("any", "some", "a", "an", "the"));
        return String.join(" ", rest);
    }

    private static boolean any(Mentions m, List<String> phrases) {
        for (String phrase : phrases) {
            if (m.has(phrase)) {
                return true;
            }
        }
        return false;
    }
}
