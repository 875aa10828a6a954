package io.switchboard.store;

import java.util.List;

/**
 * A number's business profile as WhatsApp users see it: the Cloud API's {@code about}, {@code address},
 * {@code description}, {@code email}, {@code websites} and {@code vertical}, and the uploaded image shown as its
 * picture. An empty text (and {@code pictureMediaId} 0) is a field not set.
 */
public record BusinessProfile(String number, String projectId, String about, String address, String description,
                              String email, List<String> websites, String vertical, long pictureMediaId,
                              long updatedAt) {
    public BusinessProfile {
        websites = List.copyOf(websites);
    }

    /** The profile of a number that never set one. */
    public static BusinessProfile empty(String number, String projectId) {
        return new BusinessProfile(number, projectId, "", "", "", "", List.of(), "", 0, 0);
    }
}
