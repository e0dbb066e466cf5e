package io.gale.demos.fileupload;

import io.gale.http.FormLimits;
import io.gale.http.HeaderValue;
import io.gale.http.HttpFormException;
import io.gale.http.HttpUtil;
import io.gale.http.MultipartParser;
import io.gale.http.PartHeaders;
import io.gale.web.HttpError;
import io.gale.web.RunOnVirtualThread;
import io.gale.web.StreamRequestBody;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * {@code POST /post}: a {@code multipart/form-data} body with any number of files (Tornado's
 * {@code POSTHandler} in {@code demos/file_upload}, which buffers them in memory; here each part
 * streams through Gale's {@link MultipartParser} straight to its file). Parts without a file name
 * (ordinary form fields, or a file input left empty) are skipped.
 *
 * <pre>
 * curl -F file=@a.txt -F file=@b.png http://localhost:8888/post
 * {"files":[{"name":"a.txt","size":12,"sha256":"..."},{"name":"b.png","size":4096,"sha256":"..."}]}
 * </pre>
 *
 * <p>The request is all or nothing: the files appear only after the closing boundary was read,
 * and a malformed body (400), a body over the limit (413) or a disconnect leaves none of them.
 */
@StreamRequestBody
@RunOnVirtualThread
final class PostHandler extends UploadHandler {
    private MultipartParser parser;

    PostHandler(UploadDirectory directory, UploadLimits limits) {
        super("POST", directory, limits);
    }

    @Override
    void startUpload() throws HttpFormException {
        HeaderValue type = HttpUtil.parseContentType(request().headers().get("Content-Type"));
        if (!type.value().toLowerCase(Locale.ROOT).equals("multipart/form-data")) {
            throw new HttpError(415, "expected multipart/form-data, got %s", type.value());
        }
        String boundary = type.param("boundary");
        if (boundary == null) {
            throw new HttpError(400, "multipart/form-data without a boundary");
        }
        FormLimits formLimits = FormLimits.builder().maxParts(limits().maxFiles()).build();
        try {
            parser = new MultipartParser(boundary, formLimits, new Parts());
        } catch (HttpFormException e) {
            throw new HttpError(400, "%s", e.getMessage());
        }
    }

    @Override
    void receive(ByteBuffer chunk) throws IOException {
        try {
            parser.feed(chunk);
        } catch (HttpFormException e) {
            throw new HttpError(400, "%s", e.getMessage());
        } catch (UncheckedIOException e) {
            throw e.getCause(); // a disk error while writing a part
        }
    }

    public void post() throws IOException {
        try {
            parser.finish();
        } catch (HttpFormException e) {
            throw new HttpError(400, "%s", e.getMessage());
        }
        report(storeAll());
    }

    /** Routes each part's bytes to its file. */
    private final class Parts implements MultipartParser.Listener {
        private IncomingFile current;

        @Override
        public void partStart(PartHeaders headers) {
            String name = headers.filename();
            if (name == null || name.isEmpty()) {
                current = null; // a field, or a file input with nothing chosen
                return;
            }
            try {
                current = newFile(name);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void partData(ByteBuffer data) {
            if (current != null) {
                try {
                    current.write(data);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public void partEnd() {
            current = null;
        }
    }
}
