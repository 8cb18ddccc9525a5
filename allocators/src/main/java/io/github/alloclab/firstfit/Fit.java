package io.github.alloclab.firstfit;

/** Which free block a search picks among those large enough (OSTEP 17.3, CS:APP 9.9.7). */
public enum Fit {
    /** The first one met from the start of the list (or heap). */
    FIRST("first"),
    /** The first one met from where the previous search stopped, wrapping around once (Knuth's rover). */
    NEXT("next"),
    /** The smallest; the first of equals. Examines every block, as OSTEP's malloc.py does. */
    BEST("best"),
    /** The largest; the first of equals. Examines every block. */
    WORST("worst");

    private final String text;

    Fit(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
