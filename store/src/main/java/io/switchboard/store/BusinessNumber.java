package io.switchboard.store;

/**
 * A WhatsApp business number: its TPS budget (shared by sending, receiving, delivery and read reports), how many
 * shards carry it, whether its users' delivery reports are wanted, and its data key wrapped by the master key.
 */
public record BusinessNumber(String number, String projectId, int tps, int shards, boolean deliveryReports,
                             byte[] wrappedDataKey, long createdAt) {
}
