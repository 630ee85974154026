package dev.genfleet.training.text;

import dev.genfleet.inference.text.CharTokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A small hand-written grammar of English marketing copy: products, audiences, tones, offers and calls
 * to action, optionally personalised with a first name ("Hi Maria, ..."). Deterministic for a seed.
 *
 * <p>One ad is one line; {@link #DOC_SEPARATOR} ends it. The training corpus and the held-out split use
 * different seeds ({@link #TRAIN_SEED}, {@link #HELD_OUT_SEED}).
 */
public final class CopyGrammar {

    public static final long TRAIN_SEED = 20_261_128L;
    public static final long HELD_OUT_SEED = 77_003_001L;
    public static final char DOC_SEPARATOR = CharTokenizer.DOC_SEPARATOR;

    static final String[] NAMES = {
        "Maria", "James", "Aisha", "Liam", "Sofia", "Noah", "Emma", "Lucas", "Chloe", "Omar",
        "Hannah", "Mateo", "Grace", "Ethan", "Priya", "Daniel", "Mia", "Leo", "Zoe", "Samuel",
        "Nora", "Adam", "Elena", "Ryan", "Yuki", "Jonas", "Amara", "Felix", "Lena", "Diego",
        "Ivy", "Oscar", "Ruby", "Theo", "Laura", "Kofi", "Anna", "Marco", "Julia", "Tom"
    };

    private record Product(String name, String kind, String[] benefits, String[] features) {}

    private static final Product[] PRODUCTS = {
        new Product(
                "Aurora Espresso Maker",
                "coffee machine",
                new String[] {
                    "cafe-quality coffee in under a minute",
                    "rich crema every single morning",
                    "a calmer start to your day"
                },
                new String[] {"one-touch brewing", "a quiet grinder", "a milk frother that cleans itself"}),
        new Product(
                "Stride Trail Shoes",
                "running shoes",
                new String[] {"grip on every rocky climb", "light steps for long miles", "dry feet in the rain"},
                new String[] {"a breathable mesh upper", "a cushioned sole", "recycled laces"}),
        new Product(
                "Nimbus Pillow",
                "pillow",
                new String[] {"deeper sleep from the first night", "no more stiff necks", "cool comfort all night"},
                new String[] {"soft memory foam", "a washable cover", "a shape that fits every sleeper"}),
        new Product(
                "Harbor Backpack",
                "backpack",
                new String[] {
                    "room for a laptop and a weekend", "comfort on the longest commute", "everything in its place"
                },
                new String[] {"a padded laptop sleeve", "water-resistant fabric", "hidden pockets"}),
        new Product(
                "Lumen Desk Lamp",
                "desk lamp",
                new String[] {"warm light for late nights", "less strain on tired eyes", "a brighter workspace"},
                new String[] {"five light modes", "a wireless charging base", "a slim metal arm"}),
        new Product(
                "Sprout Meal Kit",
                "meal kit",
                new String[] {"fresh dinners in twenty minutes", "less food waste", "new recipes every week"},
                new String[] {"local vegetables", "step-by-step cards", "recyclable packaging"}),
        new Product(
                "Pulse Fitness Watch",
                "fitness watch",
                new String[] {"every workout tracked", "better sleep insights", "a week of battery life"},
                new String[] {"heart rate tracking", "a bright display", "built-in GPS"}),
        new Product(
                "Breeze Air Purifier",
                "air purifier",
                new String[] {"cleaner air in every room", "fewer allergies this spring", "a fresher home"},
                new String[] {"a triple filter", "a whisper-quiet fan", "an app that tracks air quality"}),
        new Product(
                "Ledger Budget App",
                "budgeting app",
                new String[] {"clear control of your money", "savings that grow every month", "no more surprise bills"},
                new String[] {"smart spending alerts", "shared budgets", "bank-level security"}),
        new Product(
                "Willow Skin Serum",
                "skin serum",
                new String[] {"a healthy glow in two weeks", "calm and hydrated skin", "a simpler routine"},
                new String[] {"gentle plant extracts", "no added fragrance", "a light formula"}),
        new Product(
                "Echo Headphones",
                "headphones",
                new String[] {"pure sound without the noise", "focus in a busy office", "music that lasts all day"},
                new String[] {"active noise cancelling", "thirty hours of battery", "soft ear cushions"}),
        new Product(
                "Cedar Standing Desk",
                "standing desk",
                new String[] {"more energy through the afternoon", "a healthier way to work", "less back pain"},
                new String[] {"a quiet motor", "four height presets", "a solid oak top"}),
    };

    private record Audience(String label, String[] hooks) {}

    private static final Audience[] AUDIENCES = {
        new Audience("busy parents", new String[] {
            "Mornings with kids are busy enough.", "You juggle school runs, work and dinner.", "Family life moves fast."
        }),
        new Audience(
                "runners",
                new String[] {"Every mile matters.", "Your next race starts today.", "The trail is calling."}),
        new Audience("students", new String[] {
            "Exams are coming.", "Campus life is full of surprises.", "Your study sessions deserve better."
        }),
        new Audience("remote workers", new String[] {
            "Working from home should feel good.",
            "Your home office is your new headquarters.",
            "Long video calls take their toll."
        }),
        new Audience("small business owners", new String[] {
            "Running a business is hard work.", "Your customers count on you.", "Every hour of your day matters."
        }),
        new Audience("travellers", new String[] {
            "Your next adventure is closer than you think.",
            "Airports, trains and hotel rooms add up.",
            "Travel light, travel smart."
        }),
        new Audience("home cooks", new String[] {
            "Dinner should be the best part of the day.",
            "Your kitchen is where the magic happens.",
            "Cooking at home just got easier."
        }),
        new Audience("new homeowners", new String[] {
            "A new home is a fresh start.", "You finally have the keys.", "Make your new place feel like home."
        }),
    };

    private enum Tone {
        FRIENDLY,
        URGENT,
        LUXURY,
        PLAYFUL,
        PROFESSIONAL
    }

    private static final String[][] GREETINGS = {
        {"Hi {n},", "Hey {n},", "Hello {n},"},
        {"{n}, quick!", "Hi {n},", "{n}, don't miss this."},
        {"Dear {n},", "Good evening {n},", "Dear {n}, welcome."},
        {"Hey {n}!", "Psst, {n}!", "Guess what, {n}?"},
        {"Dear {n},", "Hello {n},", "Hi {n},"},
    };

    private static final String[][] INTROS = {
        {"Meet the {p}.", "Say hello to the {p}.", "Our {p} is here to help."},
        {"The {p} is almost sold out.", "The {p} is flying off the shelves.", "Last chance to get the {p}."},
        {"Discover the {p}.", "Introducing the {p}, crafted with care.", "The {p} is made for you."},
        {"Your new best friend: the {p}.", "Ta-da! The {p} has arrived.", "Who needs magic when you have the {p}?"},
        {"The {p} is built for {a}.", "Trusted by {a}, the {p} delivers.", "The {p} gives {a} an edge."},
    };

    private static final String[][] BENEFIT_LINES = {
        {"Enjoy {b} with {f}.", "Get {b}, thanks to {f}.", "It brings {b} and {f}."},
        {"Get {b} before it is gone.", "{B}, starting today.", "Don't wait for {b}."},
        {"Experience {b}, with {f}.", "Indulge in {b}.", "Expect {b} and {f}."},
        {"Think {b}. Think {f}.", "Yes, {b}. And yes, {f}.", "{B}? Done."},
        {"Count on {b}.", "Deliver {b} with {f}.", "Built for {b}, with {f}."},
    };

    private static final String[] GIFTS = {"tote bag", "travel case", "gift card", "sample set", "water bottle"};
    private static final String[] DEADLINES = {"Sunday", "midnight", "Friday", "the end of the month", "tomorrow"};
    private static final int[] PERCENTS = {10, 15, 20, 25, 30, 40, 50};
    private static final int[] AMOUNTS = {25, 35, 50, 75, 100};

    private static final String[] OFFERS = {
        "Save {pct}% on your first order.",
        "Take {pct}% off until {d}.",
        "Enjoy free shipping on orders over ${amt}.",
        "Get a free {g} with every order.",
        "Buy one, get one half price.",
        "Try it free for thirty days.",
        "Use code {code} for {pct}% off.",
        "Members save an extra {pct}% this week.",
    };

    private static final String[][] CTAS = {
        {"Shop now.", "Find yours today.", "Take a look today."},
        {"Order before {d}.", "Grab yours now.", "Claim your discount today."},
        {"Reserve yours today.", "Visit our store.", "Treat yourself today."},
        {"Go on, click the button!", "Add it to your cart!", "Your cart is waiting!"},
        {"Book a demo today.", "Start your free trial.", "Learn more on our website."},
    };

    private static final String[][] SIGNOFFS = {
        {"Cheers, the team.", "See you soon!", "Happy shopping!"},
        {"Hurry, stock is limited.", "This deal ends soon.", "Don't miss out."},
        {"With warm regards.", "You deserve it.", "Made to last."},
        {"You've got this!", "Stay awesome.", "High five!"},
        {"Thank you for your trust.", "Kind regards.", "We are here to help."},
    };

    private static final String[] CODES = {"SAVE", "HELLO", "SPRING", "WELCOME", "FRESH", "VIP"};

    private final SplittableRandom random;

    public CopyGrammar(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** One ad, without the trailing separator. */
    public String next() {
        Tone tone = Tone.values()[random.nextInt(Tone.values().length)];
        int t = tone.ordinal();
        Product product = pick(PRODUCTS);
        Audience audience = pick(AUDIENCES);
        String name = pick(NAMES);
        List<String> parts = new ArrayList<>();
        boolean personal = random.nextInt(100) < 60;
        if (personal) {
            parts.add(pick(GREETINGS[t]).replace("{n}", name));
        }
        if (random.nextInt(100) < 70) {
            parts.add(pick(audience.hooks()));
        }
        parts.add(fill(pick(INTROS[t]), product, audience));
        parts.add(fill(pick(BENEFIT_LINES[t]), product, audience));
        if (random.nextInt(100) < 85) {
            parts.add(fill(pick(OFFERS), product, audience));
        }
        parts.add(fill(pick(CTAS[t]), product, audience));
        if (random.nextInt(100) < 40) {
            parts.add(pick(SIGNOFFS[t]));
        }
        return String.join(" ", parts);
    }

    /** {@code count} ads, each followed by {@link #DOC_SEPARATOR}. */
    public String corpus(int count) {
        StringBuilder sb = new StringBuilder(count * 200);
        for (int i = 0; i < count; i++) {
            sb.append(next()).append(DOC_SEPARATOR);
        }
        return sb.toString();
    }

    /** Training corpus of {@code count} ads from {@link #TRAIN_SEED}. */
    public static String trainingCorpus(int count) {
        return new CopyGrammar(TRAIN_SEED).corpus(count);
    }

    /** Held-out corpus of {@code count} ads from {@link #HELD_OUT_SEED} (a different seed). */
    public static String heldOutCorpus(int count) {
        return new CopyGrammar(HELD_OUT_SEED).corpus(count);
    }

    /** Every lower-case word the grammar can produce (letters and apostrophes, numbers excluded). */
    public static Set<String> vocabulary() {
        Set<String> words = new TreeSet<>();
        List<String> all = new ArrayList<>();
        Collections.addAll(all, NAMES);
        for (Product p : PRODUCTS) {
            all.add(p.name());
            all.add(p.kind());
            Collections.addAll(all, p.benefits());
            Collections.addAll(all, p.features());
        }
        for (Audience a : AUDIENCES) {
            all.add(a.label());
            Collections.addAll(all, a.hooks());
        }
        for (String[][] table : List.of(GREETINGS, INTROS, BENEFIT_LINES, CTAS, SIGNOFFS)) {
            for (String[] row : table) {
                Collections.addAll(all, row);
            }
        }
        Collections.addAll(all, GIFTS);
        Collections.addAll(all, DEADLINES);
        Collections.addAll(all, OFFERS);
        Collections.addAll(all, CODES);
        for (String s : all) {
            words.addAll(words(s.replaceAll("\\{[a-zA-Z]+}", " ")));
        }
        return words;
    }

    /** Splits text into lower-case words of letters (and inner apostrophes or hyphens). */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String token : text.toLowerCase(Locale.ROOT).split("[^a-z'\\-]+")) {
            String w = token.replaceAll("^['\\-]+|['\\-]+$", "");
            if (!w.isEmpty()) {
                for (String part : w.split("-")) {
                    if (!part.isEmpty()) {
                        out.add(part);
                    }
                }
            }
        }
        return out;
    }

    private String fill(String template, Product product, Audience audience) {
        String benefit = pick(product.benefits());
        String out = template.replace("{p}", product.name())
                .replace("{k}", product.kind())
                .replace("{a}", audience.label())
                .replace("{B}", Character.toUpperCase(benefit.charAt(0)) + benefit.substring(1))
                .replace("{b}", benefit)
                .replace("{f}", pick(product.features()))
                .replace("{g}", pick(GIFTS))
                .replace("{d}", pick(DEADLINES))
                .replace("{amt}", Integer.toString(AMOUNTS[random.nextInt(AMOUNTS.length)]));
        int pct = PERCENTS[random.nextInt(PERCENTS.length)];
        return out.replace("{code}", pick(CODES) + pct).replace("{pct}", Integer.toString(pct));
    }

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }
}
