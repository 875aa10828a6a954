package io.switchboard.engine.upstream;

import io.switchboard.engine.media.MediaLibrary;
import io.switchboard.network.cloud.NodeMedia;
import io.switchboard.store.Ids;
import io.switchboard.store.UpstreamMediaIds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Supplier;

/** The node's media library and the ids Meta gave its files, as the links to Meta's Cloud API use them. */
public final class UpstreamMedia implements NodeMedia {
    private final UpstreamMediaIds ids;
    /** Made after the engine, which opens the links: read when a link first needs a file. */
    private final Supplier<MediaLibrary> library;

    public UpstreamMedia(UpstreamMediaIds ids, Supplier<MediaLibrary> library) {
        this.ids = ids;
        this.library = library;
    }

    @Override
    public Optional<File> read(String number, String mediaId) {
        MediaLibrary media = library.get();
        return media.sendableFrom(number, mediaId).map(file -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) file.size());
            try {
                media.copy(file, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new File(file.mimeType(), file.filename(), bytes.toByteArray());
        });
    }

    @Override
    public Optional<String> uploadedId(String number, String mediaId, long since) {
        long id = Ids.parse(mediaId);
        return id < 0 ? Optional.empty() : ids.find(id, number, since);
    }

    @Override
    public void uploaded(String number, String mediaId, String metaId, long at) {
        ids.put(Ids.parse(mediaId), number, metaId, at);
    }
}
