package dev.genfleet.inference;

import java.util.BitSet;
import java.util.Collection;

/**
 * Token ids a row's sampler may never pick, whatever the logits say (greedy or sampled). A mask is part
 * of the row, like its seed: it is applied to that row's own logits only, so a masked row gives the same
 * bits alone or in any batch. Immutable; ids at or above a model's vocabulary are ignored.
 */
public final class TokenMask {

    private static final TokenMask NONE = new TokenMask(new BitSet());

    private final BitSet banned;

    private TokenMask(BitSet banned) {
        this.banned = banned;
    }

    /** The empty mask: every token may be sampled. */
    public static TokenMask none() {
        return NONE;
    }

    public static TokenMask of(int... ids) {
        BitSet b = new BitSet();
        for (int id : ids) {
            b.set(requireId(id));
        }
        return b.isEmpty() ? NONE : new TokenMask(b);
    }

    public static TokenMask of(Collection<Integer> ids) {
        BitSet b = new BitSet();
        for (int id : ids) {
            b.set(requireId(id));
        }
        return b.isEmpty() ? NONE : new TokenMask(b);
    }

    private static int requireId(int id) {
        if (id < 0) {
            throw new IllegalArgumentException("token ids are ≥ 0, got " + id);
        }
        return id;
    }

    /** The ids banned by this mask or by {@code other}. */
    public TokenMask union(TokenMask other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        BitSet b = (BitSet) banned.clone();
        b.or(other.banned);
        return new TokenMask(b);
    }

    public boolean bans(int id) {
        return id >= 0 && banned.get(id);
    }

    public boolean isEmpty() {
        return banned.isEmpty();
    }

    /** Number of banned ids. */
    public int size() {
        return banned.cardinality();
    }

    /** The banned ids, ascending. */
    public int[] ids() {
        return banned.stream().toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenMask m && banned.equals(m.banned);
    }

    @Override
    public int hashCode() {
        return banned.hashCode();
    }

    @Override
    public String toString() {
        return "TokenMask" + banned;
    }
}
