package io.gale.demos.fileupload;

/**
 * A file the server stored: its name in the upload directory (sanitised, maybe numbered), its
 * size in bytes and the lower-case hex SHA-256 of its content. Serialised as JSON as it stands.
 */
record StoredFile(String name, long size, String sha256) {
}
