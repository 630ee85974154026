package dev.genfleet.schemas;

/**
 * Input of an image job: {@code count} images from {@code seed}; with {@code bestOf > count} the
 * worker draws {@code bestOf} candidates and keeps the best by realism score.
 *
 * @param style a style the model was trained on, or null for its default
 * @param size edge length in pixels of the square output, or null for the model's native size
 */
public record ImageInput(long seed, int count, String style, int bestOf, Integer size) implements JobInput {

    public static final int MAX_COUNT = 16;
    public static final int MAX_BEST_OF = 64;

    public ImageInput {
        Checks.range("count", count, 1, MAX_COUNT);
        if (bestOf == 0) {
            bestOf = count;
        }
        Checks.range("best_of", bestOf, count, MAX_BEST_OF);
        if (size != null) {
            Checks.range("size", size, 8, 1024);
        }
    }
}
