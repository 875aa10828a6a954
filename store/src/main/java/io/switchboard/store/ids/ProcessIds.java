package io.switchboard.store.ids;

import com.github.f4b6a3.tsid.TsidFactory;

/**
 * Ids unique within this process only: random node bits, claimed from no store. For tools and tests that make ids
 * outside a node; anything a node stores takes its ids from its {@link NodeIds}.
 */
public final class ProcessIds {
    private static final TsidFactory FACTORY = TsidFactory.newInstance1024();

    private ProcessIds() {}

    public static long next() {
        return FACTORY.create().toLong();
    }
}
