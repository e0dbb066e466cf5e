package io.gale.demos.fileupload;

import io.gale.web.RunOnVirtualThread;
import io.gale.web.StreamRequestBody;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * {@code PUT /put/NAME}: the body is the file, streamed to disk as it arrives (Tornado's
 * {@code PUTHandler} in {@code demos/file_upload}, which only counts the bytes). The name comes
 * from the URL (percent-decoded, then sanitised).
 *
 * <pre>
 * curl -T photo.jpg http://localhost:8888/put/photo.jpg
 * {"files":[{"name":"photo.jpg","size":48213,"sha256":"9f86d0..."}]}
 * </pre>
 */
@StreamRequestBody
@RunOnVirtualThread
final class PutHandler extends UploadHandler {
    private IncomingFile file;

    PutHandler(UploadDirectory directory, UploadLimits limits) {
        super("PUT", directory, limits);
    }

    @Override
    void startUpload() throws IOException {
        file = newFile(pathArgs().get(0));
    }

    @Override
    void receive(ByteBuffer chunk) throws IOException {
        file.write(chunk);
    }

    public void put(String name) throws IOException {
        report(storeAll());
    }
}
