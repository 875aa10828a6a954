package io.switchboard.network.sim;

import io.switchboard.network.DeliveryStatus;
import io.switchboard.network.InboundMessage;
import io.switchboard.network.ShardLink;
import io.switchboard.network.ShardLinkListener;
import java.util.ArrayList;
import java.util.List;

/** Records every callback in order; optionally ACKs each item like a node that stores instantly. */
final class RecordingListener implements ShardLinkListener {
    record Connected() {}
    record Disconnected(String reason) {}
    record Fenced(String reason) {}
    record Sent(long messageId, String networkMessageId, long atMillis) {}
    record Rejected(long messageId, String code, String reason) {}
    record Throttled(List<Long> messageIds) {}
    record Status(long seq, long messageId, String recipient, DeliveryStatus status, long atMillis, String error,
                  String details) {}
    record Inbound(long seq, InboundMessage message) {}

    private final List<Object> events = new ArrayList<>();
    volatile ShardLink autoAck;

    synchronized List<Object> events() {
        return List.copyOf(events);
    }

    synchronized <T> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private synchronized void add(Object event) {
        events.add(event);
    }

    private void item(long seq, Object event) {
        add(event);
        ShardLink link = autoAck;
        if (link != null) {
            link.ack(seq);
        }
    }

    @Override public void onConnected() { add(new Connected()); }
    @Override public void onDisconnected(String reason) { add(new Disconnected(reason)); }
    @Override public void onFenced(String reason) { add(new Fenced(reason)); }
    @Override public void onSent(long messageId, String networkMessageId, long atMillis) {
        add(new Sent(messageId, networkMessageId, atMillis));
    }
    @Override public void onSendRejected(long messageId, String code, String reason) {
        add(new Rejected(messageId, code, reason));
    }
    @Override public void onThrottled(List<Long> messageIds) { add(new Throttled(List.copyOf(messageIds))); }
    @Override public void onStatus(long seq, long messageId, String recipient, DeliveryStatus status, long atMillis,
                                   String error, String details) {
        item(seq, new Status(seq, messageId, recipient, status, atMillis, error, details));
    }
    @Override public void onGroupStatus(long seq, long messageId, String group, String member, DeliveryStatus status,
                                        long atMillis, String error) {
        item(seq, new Status(seq, messageId, member, status, atMillis, error, null));
    }
    @Override public void onInbound(long seq, InboundMessage message) { item(seq, new Inbound(seq, message)); }
}
