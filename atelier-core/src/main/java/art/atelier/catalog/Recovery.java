package art.atelier.catalog;

/**
 * What {@link Catalog#recover()} cleaned up after writers that died mid-way. All zeros after a clean run.
 *
 * @param pendingUndone unfinished adds of dead processes that were undone (the work was never recorded)
 * @param tempFilesRemoved half-written temporary files of dead processes removed from the store
 * @param strayFilesRemoved store files that no work holds and no live write claims, removed
 */
public record Recovery(int pendingUndone, int tempFilesRemoved, int strayFilesRemoved) {

    /** @return whether anything was cleaned up */
    public boolean any() {
        return pendingUndone + tempFilesRemoved + strayFilesRemoved > 0;
    }
}
