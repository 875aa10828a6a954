package io.switchboard.engine.upstream;

import io.switchboard.network.LinkTarget;
import io.switchboard.network.ShardLink;
import io.switchboard.network.ShardLinkListener;
import io.switchboard.network.cloud.CloudLinks;
import io.switchboard.network.cloud.CloudTarget;
import io.switchboard.network.cloud.NodeMedia;
import io.switchboard.network.cloud.Wamids;
import io.switchboard.store.CloudUpstream;
import io.switchboard.store.Ids;
import io.switchboard.store.Messages;
import io.switchboard.store.Upstreams;
import io.switchboard.store.crypto.Vault;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Opens each shard's link where its number is connected: Meta's Cloud API when the number has an upstream (read from
 * the store when the shard starts, so a changed upstream applies when the number's shards start again), otherwise
 * the network.
 */
public final class UpstreamLinks implements BiFunction<LinkTarget, ShardLinkListener, ShardLink> {
    private final Upstreams upstreams;
    private final Vault vault;
    private final Messages messages;
    private final CloudLinks cloud;
    private final NodeMedia media;
    private final BiFunction<LinkTarget, ShardLinkListener, ShardLink> network;

    public record Parts(Upstreams upstreams, Vault vault, Messages messages, CloudLinks cloud, NodeMedia media) {}

    public UpstreamLinks(Parts parts, BiFunction<LinkTarget, ShardLinkListener, ShardLink> network) {
        this.upstreams = parts.upstreams();
        this.vault = parts.vault();
        this.messages = parts.messages();
        this.cloud = parts.cloud();
        this.media = parts.media();
        this.network = network;
    }

    @Override
    public ShardLink apply(LinkTarget target, ShardLinkListener listener) {
        String number = target.number();
        return upstreams.find(number).<ShardLink>map(upstream -> cloud.open(CloudTarget.of(number, target.shard(),
                        target.shardCount(), upstream.baseUrl(), upstream.apiVersion(), upstream.phoneNumberId(),
                        vault.openSecret(CloudUpstream.owner(number, "access_token"), upstream.sealedAccessToken())),
                listener, wamids(number), media))
                .orElseGet(() -> network.apply(target, listener));
    }

    private Wamids wamids(String number) {
        return new Wamids() {
            @Override
            public Optional<Long> outgoing(String wamid) {
                return messages.outgoingByNetworkId(number, wamid);
            }

            @Override
            public Optional<String> of(String messageId) {
                long id = Ids.parse(messageId);
                return id < 0 ? Optional.empty() : messages.networkId(number, id);
            }
        };
    }
}
