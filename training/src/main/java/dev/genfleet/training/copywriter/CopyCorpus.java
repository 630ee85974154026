package dev.genfleet.training.copywriter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code copywriter} corpus: briefs and the ad copy for them, written with merge fields, generated
 * compositionally and deterministically from a seed.
 *
 * <p>Rules every ad keeps (the model learns them, {@link #violations} checks them): {@code {{product}}}
 * at least once; {@code {{name}}} iff the brief names a recipient; {@code {{offer}}} iff the brief has an
 * offer, and no other offer-like text (digits, {@code %}, currency, "code", "free", "discount", "sale",
 * "off", "deal", "save"); {@code {{audience}}} (a plural noun phrase) and {@code {{benefit}}} (a noun
 * phrase) only where any such phrase reads grammatically, never at the start of a sentence; one to three
 * sentences; outside merge fields only dictionary words ({@code CopyCorpusTest} checks them against
 * Debian's {@code wamerican} when installed).
 *
 * <p>Held-out split: brand words, product nouns, audiences and benefits are each split once by a fixed
 * shuffle ({@link #SPLIT_SEED}); held-out briefs use only held-out parts (a product is a held-out brand
 * word and a held-out product noun), and recipient names (held-out only: training copy never sees a
 * name) include letters outside ASCII.
 */
public final class CopyCorpus {

    public static final long TRAIN_SEED = 20_261_201L;
    public static final long HELD_OUT_SEED = 20_261_202L;
    static final long SPLIT_SEED = 20_261_203L;

    public static final List<String> TONES =
            List.of("friendly", "bold", "playful", "luxurious", "calm", "urgent", "professional", "warm");

    /** A brief and its copy; {@link #text} is what the model is trained on. */
    public record Example(CopyBrief brief, String copy) {
        public String text() {
            return brief.prompt() + copy + CopyBrief.END;
        }
    }

    // ------------------------------------------------------------------ products

    private record Category(String name, List<String> nouns, List<String> heldOutNouns, List<String> hooks) {}

    private static Category cat(String name, String nouns, String heldOut, String... hooks) {
        return new Category(name, List.of(nouns.split(", ")), List.of(heldOut.split(", ")), List.of(hooks));
    }

    private static final List<Category> CATEGORIES = List.of(
            cat(
                    "coffee",
                    "Coffee Blend, Espresso Roast, Cold Brew Kit, Pour Over Kettle, Coffee Grinder, French Press,"
                            + " Travel Mug, Drip Coffee Maker, Espresso Machine, Tea Sampler, Matcha Set, Chai Blend,"
                            + " Latte Cups, Coffee Beans",
                    "Milk Frother, Coffee Scale, Espresso Tamper",
                    "Brew a better cup with {{product}}.",
                    "Your morning cup starts with {{product}}.",
                    "Every sip is better with {{product}}.",
                    "Wake up to {{product}}."),
            cat(
                    "apparel",
                    "Running Shoes, Trail Sneakers, Wool Socks, Rain Jacket, Hiking Boots, Fleece Hoodie, Yoga Pants,"
                            + " Denim Jacket, Linen Shirt, Rain Boots, Sun Hat, Leather Loafers, Knit Sweater",
                    "Canvas Sneakers, Puffer Vest, Merino Beanie",
                    "Step into {{product}}.",
                    "Wear {{product}} and feel the difference.",
                    "{{product}} is made to move with you.",
                    "Every step feels better in {{product}}."),
            cat(
                    "sleep",
                    "Memory Foam Pillow, Weighted Blanket, Sheet Set, Mattress Topper, Sleep Mask, Duvet Cover,"
                            + " Silk Pillowcase, Down Comforter, Bed Frame, Night Light, White Noise Machine",
                    "Cooling Pillow, Linen Duvet, Body Pillow",
                    "Sleep deeper with {{product}}.",
                    "Rest easy with {{product}}.",
                    "Your best night starts with {{product}}.",
                    "Drift away with {{product}}."),
            cat(
                    "kitchen",
                    "Chef Knife, Cast Iron Skillet, Blender, Stand Mixer, Cutting Board, Dutch Oven, Air Fryer,"
                            + " Spice Rack, Salad Spinner, Knife Set, Rice Cooker, Baking Sheet",
                    "Pasta Maker, Santoku Knife, Mixing Bowls",
                    "Cook like a pro with {{product}}.",
                    "Dinner just got easier with {{product}}.",
                    "Bring {{product}} into your kitchen.",
                    "Every meal is better with {{product}}."),
            cat(
                    "fitness",
                    "Yoga Mat, Resistance Bands, Kettlebell, Jump Rope, Foam Roller, Dumbbell Set, Pull Up Bar,"
                            + " Gym Bag, Rowing Machine, Exercise Bike, Balance Board",
                    "Ab Roller, Weight Vest, Yoga Blocks",
                    "Train smarter with {{product}}.",
                    "Your next workout needs {{product}}.",
                    "Stretch, sweat and repeat with {{product}}.",
                    "Push further with {{product}}."),
            cat(
                    "audio",
                    "Wireless Earbuds, Noise Canceling Headphones, Bluetooth Speaker, Smart Speaker, Record Player,"
                            + " Soundbar, Studio Monitors, Podcast Microphone, Radio",
                    "Sleep Headphones, Party Speaker, Desk Microphone",
                    "Hear every detail with {{product}}.",
                    "Turn up the sound with {{product}}.",
                    "Your music deserves {{product}}.",
                    "Listen closer with {{product}}."),
            cat(
                    "desk",
                    "Laptop Stand, Mechanical Keyboard, Wireless Mouse, Phone Charger, Desk Lamp, Monitor Arm,"
                            + " Standing Desk, Power Bank, USB Hub, Webcam, Desk Organizer",
                    "Charging Dock, Ergonomic Chair, Tablet Stand",
                    "Power up your desk with {{product}}.",
                    "Work smarter with {{product}}.",
                    "Your workday just got easier with {{product}}.",
                    "Stay focused with {{product}}."),
            cat(
                    "skin",
                    "Face Serum, Moisturizer, Lip Balm, Sunscreen, Shampoo, Body Wash, Hand Cream, Face Mask,"
                            + " Bath Salts, Beard Oil, Night Cream, Eye Cream",
                    "Cleansing Balm, Hair Oil, Body Lotion",
                    "Treat your skin to {{product}}.",
                    "Your daily routine deserves {{product}}.",
                    "Glow a little brighter with {{product}}.",
                    "Pamper yourself with {{product}}."),
            cat(
                    "outdoor",
                    "Hiking Backpack, Camping Tent, Water Bottle, Camping Stove, Hammock, Duffel Bag, Sleeping Bag,"
                            + " Headlamp, Trekking Poles, Cooler, Travel Pillow, Packing Cubes",
                    "Camp Chair, Dry Bag, Trail Stove",
                    "Take {{product}} on your next adventure.",
                    "Pack {{product}} and hit the trail.",
                    "Explore further with {{product}}.",
                    "Adventure is better with {{product}}."),
            cat(
                    "pets",
                    "Dog Bed, Cat Tree, Pet Shampoo, Chew Toy, Dog Leash, Cat Litter, Pet Carrier, Dog Treats,"
                            + " Bird Feeder, Fish Tank, Scratching Post",
                    "Dog Harness, Cat Fountain, Puppy Pads",
                    "Your pet will love {{product}}.",
                    "Happy pets start with {{product}}.",
                    "Give your best friend {{product}}.",
                    "Tails will wag for {{product}}."),
            cat(
                    "garden",
                    "Planter, Seed Kit, Garden Hose, Pruning Shears, Herb Garden Kit, Watering Can,"
                            + " Raised Garden Bed, Compost Bin, Garden Gloves, Grow Light",
                    "Potting Soil, Trellis, Plant Stand",
                    "Grow something beautiful with {{product}}.",
                    "Your garden deserves {{product}}.",
                    "Watch your garden bloom with {{product}}.",
                    "Get growing with {{product}}."),
            cat(
                    "paper",
                    "Notebook, Weekly Planner, Fountain Pen, Journal, Sketchbook, Marker Set, Desk Calendar,"
                            + " Sticky Notes, Watercolor Set, Gel Pens",
                    "Bullet Journal, Pencil Case, Letter Set",
                    "Write your next chapter with {{product}}.",
                    "Plan your best week with {{product}}.",
                    "Big ideas start with {{product}}.",
                    "Capture every thought with {{product}}."),
            cat(
                    "cycling",
                    "Bike Helmet, Bike Light, Commuter Bike, Bike Lock, Cycling Gloves, Bike Pump, Saddle Bag,"
                            + " Road Bike, Electric Bike, Bike Rack",
                    "Gravel Bike, Bike Bell, Cycling Jersey",
                    "Ride further with {{product}}.",
                    "Every ride is better with {{product}}.",
                    "Hit the road with {{product}}.",
                    "Your commute just got better with {{product}}."),
            cat(
                    "food",
                    "Granola, Protein Bar, Hot Sauce, Olive Oil, Pasta Sauce, Trail Mix, Dark Chocolate, Honey,"
                            + " Spice Blend, Maple Syrup, Peanut Butter, Jerky",
                    "Chili Crisp, Oat Cookies, Fruit Jam",
                    "Taste the difference with {{product}}.",
                    "Snack better with {{product}}.",
                    "Add bold flavor with {{product}}.",
                    "Your pantry needs {{product}}."),
            cat(
                    "decor",
                    "Scented Candle, Throw Pillow, Floor Lamp, Area Rug, Wall Art, Picture Frame, Diffuser, Wall Clock,"
                            + " Vase, Throw Blanket, String Lights",
                    "Table Lamp, Wall Mirror, Candle Set",
                    "Make your home glow with {{product}}.",
                    "Bring warmth home with {{product}}.",
                    "Your space deserves {{product}}.",
                    "Cozy up with {{product}}."),
            cat(
                    "kids",
                    "Building Blocks, Baby Monitor, Stroller, Puzzle Set, Plush Toy, Art Kit, Kids Backpack,"
                            + " Board Game, Play Tent, Wooden Train Set",
                    "Baby Carrier, Crayon Set, Toy Kitchen",
                    "Play time gets better with {{product}}.",
                    "Little ones love {{product}}.",
                    "Make family time easier with {{product}}.",
                    "Growing up is more fun with {{product}}."));

    private static final String[] BRAND_HEADS = {
        "Lu", "No", "Ve", "Ka", "Zi", "Or", "Bre", "Sol", "Mi", "Ta", "Qui", "Fen", "Ari", "Del", "Cor", "Pi",
        "Ro", "Sa", "Thi", "Ul", "Xa", "Yo", "Vi", "Ju", "Ne", "Ha", "Gla", "Fro", "Ema", "Ilo", "Bo", "Kes"
    };
    private static final String[] BRAND_TAILS = {
        "mora", "vo", "lux", "ra", "nix", "lia", "dor", "vik", "ta", "sen", "ber", "lo", "mi", "zen", "qua", "rio",
        "tek", "ly", "va", "no", "wen", "sto", "mar", "pe"
    };
    /** Accented stand-ins, so brand words hold letters outside ASCII (Lumöra, Søra, Velé). */
    private static final String[][] ACCENTS = {{"o", "ö"}, {"o", "ø"}, {"e", "é"}, {"a", "å"}, {"u", "ü"}, {"i", "ï"}};

    // ------------------------------------------------------------------ audiences, benefits, offers

    private static final String[] AUDIENCE_MODIFIERS = {
        "busy",
        "new",
        "young",
        "weekend",
        "remote",
        "early",
        "urban",
        "outdoor",
        "home",
        "night",
        "city",
        "active",
        "creative",
        "retired",
        "working",
        "curious",
        "first-time",
        "eco-minded"
    };
    private static final String[] AUDIENCE_NOUNS = {
        "parents", "runners", "hikers", "cooks", "workers", "students", "travelers", "gardeners", "dog owners",
        "cat lovers", "readers", "artists", "cyclists", "bakers", "campers", "teachers", "nurses", "commuters",
        "founders", "designers", "musicians", "grandparents", "coffee lovers", "gamers", "homeowners"
    };
    private static final String[] BENEFIT_ADJECTIVES = {
        "all-day",
        "better",
        "faster",
        "deeper",
        "calmer",
        "easier",
        "brighter",
        "smoother",
        "lasting",
        "everyday",
        "effortless",
        "restful",
        "healthier",
        "quieter",
        "simpler",
        "cleaner"
    };
    private static final String[] BENEFIT_NOUNS = {
        "comfort",
        "mornings",
        "sleep",
        "focus",
        "energy",
        "workouts",
        "style",
        "skin",
        "meals",
        "commutes",
        "evenings",
        "routines",
        "rest",
        "results",
        "adventures",
        "weekends",
        "confidence",
        "flavor",
        "organization",
        "sound"
    };
    private static final String[] OFFER_PATTERNS = {
        "%d%% off your first order",
        "%d%% off everything this week",
        "%d%% off when you sign up",
        "free shipping this week",
        "free shipping on every order",
        "a free gift with every order",
        "buy one, get one free",
        "$%d off orders over $%d",
        "%d%% off with code %s",
        "two for the price of one",
        "a free tote with your order",
        "free returns for %d days",
        "€%d off your next order",
        "%d%% off for members",
        "free delivery on orders over £%d"
    };
    private static final int[] PERCENTS = {10, 15, 20, 25, 30, 40, 50};

    /** Recipients' names for the held-out briefs (training copy never holds a name, only {{name}}). */
    static final List<String> HELD_OUT_NAMES = List.of(
            "José",
            "Søren",
            "Mei-Ling",
            "Zoë",
            "Åsa",
            "Renée",
            "Chloé",
            "Björn",
            "Łukasz",
            "Siobhán",
            "Anaïs",
            "Jürgen",
            "Çağla",
            "Maëlle",
            "Tomás",
            "Nuño",
            "Aarav",
            "Fatima",
            "Olumide",
            "Priya",
            "Kwame",
            "Hana",
            "Elif",
            "Yusuf",
            "Jae-won",
            "Aiko",
            "Maria",
            "Sam",
            "Dvořák",
            "Ingrid",
            "Mateus",
            "Ngozi",
            "Wei",
            "Anastasia",
            "Oğuz",
            "François",
            "Pål",
            "Ximena",
            "Dmitri",
            "Leilani");

    /** Extra held-out brand words with letters outside ASCII. */
    private static final List<String> HELD_OUT_BRANDS_EXTRA =
            List.of("Ångström", "Brisé", "Fjällö", "Nørdvik", "Crème", "Zoëlle", "Mañana", "Kōri", "Đorić", "Ørsted");

    // ------------------------------------------------------------------ tones

    private record Greeting(String text, boolean lowercaseNext) {}

    private record Tone(
            List<Greeting> greetings,
            List<String> hooks,
            List<String> bodies,
            List<String> ctas,
            List<String> offers,
            List<String> closings) {}

    private static Greeting lc(String text) {
        return new Greeting(text, true);
    }

    private static Greeting keep(String text) {
        return new Greeting(text, false);
    }

    private static final java.util.Map<String, Tone> TONE_WORDS = java.util.Map.of(
            "friendly",
            new Tone(
                    List.of(lc("Hi {{name}}, "), lc("Hey {{name}}, "), keep("Hello {{name}}! ")),
                    List.of(
                            "Meet {{product}}, your new favorite.",
                            "Say hello to {{product}}.",
                            "We think you will love {{product}}.",
                            "Here is something nice for you: {{product}}.",
                            "Have you met {{product}} yet?",
                            "Good news: {{product}} is here."),
                    List.of(
                            "It is made for {{audience}} who want {{benefit}}.",
                            "Expect {{benefit}} from day one.",
                            "A great pick for {{audience}} who love {{benefit}}.",
                            "It is all about {{benefit}}.",
                            "Perfect for {{audience}} everywhere.",
                            "Enjoy {{benefit}} without the fuss."),
                    List.of(
                            "Take a look today.",
                            "Come see what is new.",
                            "Give it a try today.",
                            "We hope you love it.",
                            "Check it out today."),
                    List.of(
                            "Get {{offer}} when you order today.",
                            "Plus, enjoy {{offer}}.",
                            "And right now, you get {{offer}}.",
                            "Order today and enjoy {{offer}}."),
                    List.of("We think you will love it, {{name}}.", "Talk soon, {{name}}.")),
            "bold",
            new Tone(
                    List.of(lc("{{name}}, "), keep("Listen up, {{name}}. ")),
                    List.of(
                            "{{product}} changes everything.",
                            "Go big with {{product}}.",
                            "Meet {{product}}: built to win.",
                            "No half measures, just {{product}}.",
                            "{{product}} is here to raise the bar.",
                            "This is {{product}}, and nothing else comes close."),
                    List.of(
                            "Made for {{audience}} who demand {{benefit}}.",
                            "Pure {{benefit}}, no excuses.",
                            "Built for {{audience}} who refuse to settle.",
                            "Serious {{benefit}} for serious {{audience}}.",
                            "Expect {{benefit}}, every single time.",
                            "Power, style and {{benefit}} in one."),
                    List.of(
                            "Make your move today.",
                            "Grab yours now.",
                            "Step up today.",
                            "Own it today.",
                            "Do not wait, go get it."),
                    List.of(
                            "Claim {{offer}} now.",
                            "Grab {{offer}} while it lasts.",
                            "Act now and get {{offer}}.",
                            "Get {{offer}} and go."),
                    List.of("Your move, {{name}}.", "Go get it, {{name}}.")),
            "playful",
            new Tone(
                    List.of(keep("Psst, {{name}}! "), keep("Hey there, {{name}}! "), keep("Guess what, {{name}}? ")),
                    List.of(
                            "Say hi to {{product}}, your new sidekick.",
                            "Who needs boring when you have {{product}}?",
                            "{{product}} just landed, and it is kind of amazing.",
                            "Warning: {{product}} may cause happy dances.",
                            "Plot twist: {{product}} is here.",
                            "Your day just got a little more fun with {{product}}."),
                    List.of(
                            "Made for {{audience}} who like a little fun with their {{benefit}}.",
                            "Hello, {{benefit}}, and goodbye, boring.",
                            "Cue the {{benefit}}.",
                            "Even {{audience}} cannot stop smiling.",
                            "Fun for {{audience}}, big on {{benefit}}.",
                            "Think of it as {{benefit}} with a wink."),
                    List.of(
                            "Go on, treat yourself.",
                            "Come and play today.",
                            "Take it for a spin.",
                            "You know you want to.",
                            "Your happy dance starts today."),
                    List.of(
                            "Bonus round: {{offer}}.",
                            "And hey, {{offer}} too!",
                            "Oh, and did we mention {{offer}}?",
                            "Snag {{offer}} while you can."),
                    List.of("Catch you later, {{name}}!", "Have fun, {{name}}!")),
            "luxurious",
            new Tone(
                    List.of(lc("Dear {{name}}, "), lc("{{name}}, "), keep("Good evening, {{name}}. ")),
                    List.of(
                            "Discover {{product}}, crafted for those who expect more.",
                            "Indulge in {{product}}.",
                            "Introducing {{product}}, refined in every detail.",
                            "Elegance, redefined: {{product}}.",
                            "Some things are simply exquisite, and {{product}} is one of them.",
                            "Treat yourself to {{product}}."),
                    List.of(
                            "An exquisite way to enjoy {{benefit}}.",
                            "Reserved for {{audience}} with discerning taste.",
                            "Crafted for {{audience}} who cherish {{benefit}}.",
                            "Every detail is made for {{benefit}}.",
                            "A quiet luxury, made for {{audience}}.",
                            "Pure {{benefit}}, beautifully made."),
                    List.of(
                            "Discover it today.",
                            "Indulge yourself.",
                            "Experience it for yourself.",
                            "Your invitation awaits.",
                            "Make it yours."),
                    List.of(
                            "As our guest, enjoy {{offer}}.",
                            "Enjoy {{offer}}, with our compliments.",
                            "For a limited time, receive {{offer}}.",
                            "As a privilege, receive {{offer}}."),
                    List.of("With our compliments, {{name}}.", "It awaits you, {{name}}.")),
            "calm",
            new Tone(
                    List.of(lc("Hello {{name}}, "), keep("Hi {{name}}. "), lc("{{name}}, ")),
                    List.of(
                            "Take a breath and meet {{product}}.",
                            "Slow down with {{product}}.",
                            "{{product}} brings a little calm to your day.",
                            "Quietly good: {{product}}.",
                            "Let {{product}} make things simple.",
                            "Find your balance with {{product}}."),
                    List.of(
                            "Simple, gentle {{benefit}}.",
                            "Made for {{audience}} who value {{benefit}}.",
                            "Ease into {{benefit}}, one day at a time.",
                            "Nothing loud, just {{benefit}}.",
                            "A peaceful choice for {{audience}}.",
                            "It gives you room for {{benefit}}."),
                    List.of(
                            "Take your time and explore.",
                            "Whenever you are ready, it is here.",
                            "Explore it at your own pace.",
                            "Rest easy and take a look."),
                    List.of(
                            "When you are ready, enjoy {{offer}}.",
                            "You can also get {{offer}}.",
                            "Enjoy {{offer}}, whenever you are ready.",
                            "And {{offer}} is waiting for you."),
                    List.of("Be well, {{name}}.", "Take care, {{name}}.")),
            "urgent",
            new Tone(
                    List.of(lc("{{name}}, "), keep("Quick, {{name}}! "), lc("Heads up, {{name}}: ")),
                    List.of(
                            "Do not miss {{product}}.",
                            "Time is running out to try {{product}}.",
                            "{{product}} is going fast.",
                            "Last call for {{product}}.",
                            "Hurry, {{product}} will not wait.",
                            "Now is the moment for {{product}}."),
                    List.of(
                            "Made for {{audience}} who want {{benefit}} now.",
                            "Get {{benefit}} before the moment passes.",
                            "Popular with {{audience}}, and stock is limited.",
                            "Why wait for {{benefit}}?",
                            "Grab {{benefit}} today, not tomorrow.",
                            "Join the {{audience}} who already switched."),
                    List.of(
                            "Order now.",
                            "Act today.",
                            "Get yours before it is gone.",
                            "Hurry and order today.",
                            "Do not wait."),
                    List.of(
                            "Hurry, {{offer}} ends soon.",
                            "Get {{offer}} before it is gone.",
                            "Act now to claim {{offer}}.",
                            "Order today for {{offer}}."),
                    List.of("Do not wait, {{name}}.", "Move fast, {{name}}.")),
            "professional",
            new Tone(
                    List.of(lc("Dear {{name}}, "), lc("Hello {{name}}, "), lc("{{name}}, ")),
                    List.of(
                            "Introducing {{product}}.",
                            "{{product}} is designed to deliver results.",
                            "We are pleased to present {{product}}.",
                            "Meet {{product}}, a reliable choice.",
                            "{{product}} sets a new standard.",
                            "Discover how {{product}} can help."),
                    List.of(
                            "It delivers {{benefit}} for {{audience}}.",
                            "Designed for {{audience}} who require {{benefit}}.",
                            "Trusted by {{audience}} for {{benefit}}.",
                            "The result is consistent {{benefit}}.",
                            "A practical solution for {{audience}}.",
                            "Built with {{benefit}} in mind."),
                    List.of(
                            "Learn more today.",
                            "Place your order today.",
                            "Explore the details today.",
                            "Contact us to learn more.",
                            "See how it works."),
                    List.of(
                            "Customers can now receive {{offer}}.",
                            "Order today to receive {{offer}}.",
                            "Customers who order today receive {{offer}}.",
                            "Every new order comes with {{offer}}."),
                    List.of("Kind regards to you, {{name}}.", "Thank you for your time, {{name}}.")),
            "warm",
            new Tone(
                    List.of(lc("Dear {{name}}, "), lc("Hi {{name}}, "), lc("{{name}}, ")),
                    List.of(
                            "We made {{product}} with you in mind.",
                            "Something special is waiting for you: {{product}}.",
                            "From our family to yours, meet {{product}}.",
                            "{{product}} is like a warm hug for your day.",
                            "We are so happy to share {{product}} with you.",
                            "You deserve {{product}}."),
                    List.of(
                            "Made with care for {{audience}} who want {{benefit}}.",
                            "It is our way of bringing {{benefit}} home.",
                            "For {{audience}}, with love.",
                            "Little moments of {{benefit}}, every day.",
                            "Because {{audience}} deserve {{benefit}}.",
                            "Made to bring you {{benefit}}."),
                    List.of(
                            "We would love for you to try it.",
                            "Come and see it today.",
                            "We hope it brings you joy.",
                            "It would mean a lot if you took a look."),
                    List.of(
                            "As a thank you, enjoy {{offer}}.",
                            "To welcome you, here is {{offer}}.",
                            "With love, we are including {{offer}}.",
                            "Please enjoy {{offer}}."),
                    List.of("With love, from all of us to you, {{name}}.", "Thinking of you, {{name}}.")));

    /** One sentence that carries product, audience and benefit (tone-neutral). */
    private static final List<String> COMBINED = List.of(
            "{{product}} brings {{benefit}} to {{audience}}.",
            "Meet {{product}}, made for {{audience}} who want {{benefit}}.",
            "With {{product}}, {{audience}} get {{benefit}}.",
            "{{product}} is how {{audience}} find {{benefit}}.",
            "Made for {{audience}}, {{product}} is all about {{benefit}}.");

    // ------------------------------------------------------------------ the split

    /** The vocabulary split once by {@link #SPLIT_SEED}: training and held-out parts never overlap. */
    private record Pools(
            List<String> brands, List<String> audiences, List<String> benefits, List<List<String>> nouns) {}

    private static final Pools TRAIN_POOLS;
    private static final Pools HELD_OUT_POOLS;

    static {
        SplittableRandom rnd = new SplittableRandom(SPLIT_SEED);
        List<String> brands = new ArrayList<>(new LinkedHashSet<>(brandWords(rnd)));
        List<String> audiences = new ArrayList<>();
        for (String m : AUDIENCE_MODIFIERS) {
            for (String n : AUDIENCE_NOUNS) {
                audiences.add(m + " " + n);
            }
        }
        List<String> benefits = new ArrayList<>();
        for (String a : BENEFIT_ADJECTIVES) {
            for (String n : BENEFIT_NOUNS) {
                benefits.add(a + " " + n);
            }
        }
        shuffle(brands, rnd);
        shuffle(audiences, rnd);
        shuffle(benefits, rnd);
        int b = brands.size() * 17 / 20;
        int a = audiences.size() * 4 / 5;
        int f = benefits.size() * 4 / 5;
        List<List<String>> trainNouns = new ArrayList<>();
        List<List<String>> heldNouns = new ArrayList<>();
        for (Category c : CATEGORIES) {
            trainNouns.add(c.nouns());
            heldNouns.add(c.heldOutNouns());
        }
        List<String> heldBrands = new ArrayList<>(brands.subList(b, brands.size()));
        heldBrands.addAll(HELD_OUT_BRANDS_EXTRA);
        TRAIN_POOLS = new Pools(
                List.copyOf(brands.subList(0, b)), audiences.subList(0, a), benefits.subList(0, f), trainNouns);
        HELD_OUT_POOLS = new Pools(
                List.copyOf(heldBrands),
                audiences.subList(a, audiences.size()),
                benefits.subList(f, benefits.size()),
                heldNouns);
    }

    private static List<String> brandWords(SplittableRandom rnd) {
        List<String> out = new ArrayList<>();
        for (String h : BRAND_HEADS) {
            for (String t : BRAND_TAILS) {
                String w = h + t;
                if (rnd.nextInt(100) < 15) {
                    String[] acc = ACCENTS[rnd.nextInt(ACCENTS.length)];
                    int i = w.lastIndexOf(acc[0]);
                    if (i > 0) {
                        w = w.substring(0, i) + acc[1] + w.substring(i + 1);
                    }
                }
                out.add(w);
            }
        }
        return out;
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rnd) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, rnd.nextInt(i + 1));
        }
    }

    private CopyCorpus() {}

    // ------------------------------------------------------------------ generation

    /** {@code count} training examples from {@link #TRAIN_SEED}. */
    public static List<Example> training(int count) {
        SplittableRandom rnd = new SplittableRandom(TRAIN_SEED);
        List<Example> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Drawn d = draw(TRAIN_POOLS, rnd, true);
            // training briefs carry a placeholder name: the model sees only "name: yes"
            CopyBrief brief = new CopyBrief(d.product, d.audience, d.benefit, d.offer, d.tone, d.named ? "x" : null);
            out.add(new Example(brief, copy(brief, d.category, rnd)));
        }
        return out;
    }

    /**
     * {@code count} held-out briefs from {@link #HELD_OUT_SEED}: held-out brand words, product nouns,
     * audiences, benefits and names only; about half with an offer, 70% with a name, 15% without a tone.
     */
    public static List<CopyBrief> heldOut(int count) {
        SplittableRandom rnd = new SplittableRandom(HELD_OUT_SEED);
        List<CopyBrief> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Drawn d = draw(HELD_OUT_POOLS, rnd, false);
            String name = d.named ? HELD_OUT_NAMES.get(rnd.nextInt(HELD_OUT_NAMES.size())) : null;
            out.add(new CopyBrief(d.product, d.audience, d.benefit, d.offer, d.tone, name));
        }
        return out;
    }

    /** A held-out brief's copy the way the corpus writes it (for samples and tests). */
    public static String referenceCopy(CopyBrief brief, long seed) {
        return copy(brief, categoryOf(brief.product()), new SplittableRandom(seed));
    }

    private record Drawn(
            String product, int category, String audience, String benefit, String offer, String tone, boolean named) {}

    private static Drawn draw(Pools pools, SplittableRandom rnd, boolean alwaysTone) {
        int category = rnd.nextInt(CATEGORIES.size());
        List<String> nouns = pools.nouns().get(category);
        String product =
                pools.brands().get(rnd.nextInt(pools.brands().size())) + " " + nouns.get(rnd.nextInt(nouns.size()));
        String audience = pools.audiences().get(rnd.nextInt(pools.audiences().size()));
        String benefit = pools.benefits().get(rnd.nextInt(pools.benefits().size()));
        String offer = rnd.nextBoolean() ? offer(rnd) : null;
        String tone = TONES.get(rnd.nextInt(TONES.size()));
        if (!alwaysTone && rnd.nextInt(100) < 15) {
            tone = null;
        }
        boolean named = rnd.nextInt(100) < 70;
        return new Drawn(product, category, audience, benefit, offer, tone, named);
    }

    private static String offer(SplittableRandom rnd) {
        String p = OFFER_PATTERNS[rnd.nextInt(OFFER_PATTERNS.length)];
        int pct = PERCENTS[rnd.nextInt(PERCENTS.length)];
        return switch (p) {
            case "$%d off orders over $%d" ->
                String.format(Locale.ROOT, p, 5 + 5 * rnd.nextInt(4), 50 + 25 * rnd.nextInt(4));
            case "%d%% off with code %s" -> String.format(Locale.ROOT, p, pct, code(rnd));
            case "free returns for %d days" -> String.format(Locale.ROOT, p, 30 + 30 * rnd.nextInt(3));
            case "€%d off your next order", "free delivery on orders over £%d" ->
                String.format(Locale.ROOT, p, 5 + 5 * rnd.nextInt(6));
            default -> p.contains("%d") ? String.format(Locale.ROOT, p, pct) : p;
        };
    }

    private static String code(SplittableRandom rnd) {
        String letters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append(letters.charAt(rnd.nextInt(letters.length())));
        }
        return sb.append(10 + rnd.nextInt(90)).toString();
    }

    /** The category whose nouns end the product's name, or -1 (generic wording only). */
    static int categoryOf(String product) {
        for (int c = 0; c < CATEGORIES.size(); c++) {
            for (String n : CATEGORIES.get(c).nouns()) {
                if (product.endsWith(" " + n)) {
                    return c;
                }
            }
            for (String n : CATEGORIES.get(c).heldOutNouns()) {
                if (product.endsWith(" " + n)) {
                    return c;
                }
            }
        }
        return -1;
    }

    /** The copy for a brief: greeting?, hook, body?, offer or call to action, closing with the name?. */
    static String copy(CopyBrief brief, int category, SplittableRandom rnd) {
        String toneName = brief.tone() == null ? CopyBrief.DEFAULT_TONE : brief.tone();
        Tone tone = TONE_WORDS.getOrDefault(toneName, TONE_WORDS.get(CopyBrief.DEFAULT_TONE));
        for (int attempt = 0; ; attempt++) {
            List<String> sentences = new ArrayList<>();
            int shape = rnd.nextInt(10);
            if (shape < 2) {
                sentences.add(pick(COMBINED, rnd));
            } else {
                boolean categoryHook = category >= 0 && rnd.nextInt(100) < 40;
                sentences.add(categoryHook ? pick(CATEGORIES.get(category).hooks(), rnd) : pick(tone.hooks(), rnd));
                if (shape < 9) {
                    sentences.add(pick(tone.bodies(), rnd));
                }
            }
            boolean nameAtEnd = brief.name() != null && rnd.nextInt(100) < 20;
            if (brief.offer() != null) {
                sentences.add(pick(tone.offers(), rnd));
            } else if (!nameAtEnd || rnd.nextBoolean()) {
                sentences.add(pick(tone.ctas(), rnd));
            }
            if (nameAtEnd) {
                sentences.add(pick(tone.closings(), rnd));
            }
            if (sentences.size() > 3) {
                sentences.remove(1);
            }
            String text = String.join(" ", sentences);
            if (brief.name() != null && !nameAtEnd) {
                Greeting g = pick(tone.greetings(), rnd);
                text = g.text() + (g.lowercaseNext() ? lowerFirst(text) : text);
            }
            int words = words(text);
            if ((words >= 10 && words <= 40) || attempt > 20) {
                return text;
            }
        }
    }

    private static <T> T pick(List<T> list, SplittableRandom rnd) {
        return list.get(rnd.nextInt(list.size()));
    }

    private static String lowerFirst(String s) {
        if (s.startsWith("{{") || s.isEmpty()) {
            return s;
        }
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    static int words(String text) {
        return text.trim().split("\\s+").length;
    }

    // ------------------------------------------------------------------ checks

    public static final List<String> MERGE_FIELDS =
            List.of("{{name}}", "{{product}}", "{{audience}}", "{{benefit}}", "{{offer}}");

    /** Words that state an offer; outside {@code {{offer}}} none may appear. */
    static final Pattern OFFER_LIKE = Pattern.compile(
            "[0-9]+|[%$€£¥]|\\b(code|coupon|free|discount|sale|off|deal|deals|save|saving|savings|price|prices|cheap"
                    + "|bargain|shipping|promo|percent)\\b",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern FIELD = Pattern.compile("\\{\\{[a-z]+}}");
    private static final Pattern WORD = Pattern.compile("[\\p{L}]+(?:['’-][\\p{L}]+)*");

    /** The words of a copy outside merge fields, lower-cased. */
    public static List<String> plainWords(String copy) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(FIELD.matcher(copy).replaceAll(" "));
        while (m.find()) {
            out.add(m.group().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** Offer-like text outside merge fields, or an empty list. */
    public static List<String> offerLike(String copy) {
        List<String> out = new ArrayList<>();
        Matcher m = OFFER_LIKE.matcher(FIELD.matcher(copy).replaceAll(" "));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** The rules a copy breaks for its brief (empty: none). */
    public static List<String> violations(CopyBrief brief, String copy) {
        List<String> out = new ArrayList<>();
        if (!copy.contains("{{product}}")) {
            out.add("no {{product}}");
        }
        if ((brief.name() != null) != copy.contains("{{name}}")) {
            out.add(brief.name() != null ? "no {{name}}" : "{{name}} without a name");
        }
        if ((brief.offer() != null) != copy.contains("{{offer}}")) {
            out.add(brief.offer() != null ? "no {{offer}}" : "{{offer}} without an offer");
        }
        if (!offerLike(copy).isEmpty()) {
            out.add("offer-like text " + offerLike(copy));
        }
        Matcher m = FIELD.matcher(copy);
        while (m.find()) {
            if (!MERGE_FIELDS.contains(m.group())) {
                out.add("unknown merge field " + m.group());
            }
        }
        return out;
    }

    /** Every word the corpus writes outside merge fields (templates of every tone and category). */
    public static Set<String> vocabulary() {
        Set<String> words = new TreeSet<>();
        List<String> texts = new ArrayList<>(COMBINED);
        for (Category c : CATEGORIES) {
            texts.addAll(c.hooks());
        }
        for (Tone t : TONE_WORDS.values()) {
            t.greetings().forEach(g -> texts.add(g.text()));
            texts.addAll(t.hooks());
            texts.addAll(t.bodies());
            texts.addAll(t.ctas());
            texts.addAll(t.offers());
            texts.addAll(t.closings());
        }
        texts.forEach(s -> words.addAll(plainWords(s)));
        return words;
    }

    /** Held-out parts, to check the split: brand words, product nouns, audiences, benefits. */
    static List<Set<String>> heldOutParts() {
        Set<String> nouns = new TreeSet<>();
        HELD_OUT_POOLS.nouns().forEach(nouns::addAll);
        return List.of(
                new TreeSet<>(HELD_OUT_POOLS.brands()),
                nouns,
                new TreeSet<>(HELD_OUT_POOLS.audiences()),
                new TreeSet<>(HELD_OUT_POOLS.benefits()));
    }

    static List<Set<String>> trainingParts() {
        Set<String> nouns = new TreeSet<>();
        TRAIN_POOLS.nouns().forEach(nouns::addAll);
        return List.of(
                new TreeSet<>(TRAIN_POOLS.brands()),
                nouns,
                new TreeSet<>(TRAIN_POOLS.audiences()),
                new TreeSet<>(TRAIN_POOLS.benefits()));
    }
}
