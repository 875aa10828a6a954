package io.switchboard.store;

/**
 * A stored media file: whose it is (a project, and the business number whose data key seals it), what it is (its
 * MIME type, size, SHA-256 in hex and, when given, its file name), how many 1 MiB chunks hold it, and until when
 * it is kept.
 */
public record MediaFile(long id, String projectId, String number, String mimeType, long size, String sha256,
                        String filename, int chunks, long createdAt, long expiresAt) {}
