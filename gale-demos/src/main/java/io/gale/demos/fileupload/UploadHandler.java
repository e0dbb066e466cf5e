package io.gale.demos.fileupload;

import io.gale.web.HttpError;
import io.gale.web.RequestHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What the two upload handlers share: the size limit (answered 413 from {@code prepare()}, before
 * the body is read, when {@code Content-Length} is too large; and as the bytes arrive otherwise),
 * the files of the request (all deleted when the client goes away or the request fails), and the
 * answer (JSON, or an HTML page for a browser).
 *
 * <p>Subclasses are {@code @StreamRequestBody} handlers on a virtual thread: the body is not
 * buffered, each piece is written to disk as it comes (blocking on the disk is fine on a virtual
 * thread), and the next piece is read only after that. The request's phases ({@code prepare},
 * each {@code dataReceived}, the method, {@code onConnectionClose}) never overlap, so the fields
 * need no locking.
 */
abstract class UploadHandler extends RequestHandler {
    private final String method;
    private final UploadDirectory directory;
    private final UploadLimits limits;
    private final List<IncomingFile> files = new ArrayList<>();
    private long received;

    /** @param method the one HTTP method this handler takes (others: 405 before anything is created) */
    UploadHandler(String method, UploadDirectory directory, UploadLimits limits) {
        this.method = method;
        this.directory = directory;
        this.limits = limits;
    }

    UploadLimits limits() {
        return limits;
    }

    /**
     * Refuses another method (405) and a declared body over the limit (413), before any of the
     * body is read; then {@link #startUpload()}.
     */
    @Override
    protected final void prepare() throws Exception {
        if (!request().method().equals(method)) {
            throw new HttpError(405);
        }
        String declared = request().headers().get("Content-Length");
        if (declared != null && Long.parseLong(declared.strip()) > limits.maxBodySize()) {
            throw tooLarge(Long.parseLong(declared.strip()));
        }
        startUpload();
    }

    /** Called once the headers passed the checks, before the first piece of the body. */
    abstract void startUpload() throws Exception;

    /** Counts the piece against the limit, then hands it to {@link #receive}. */
    @Override
    protected final CompletionStage<?> dataReceived(ByteBuffer chunk) throws Exception {
        received += chunk.remaining();
        if (received > limits.maxBodySize()) {
            throw tooLarge(received);
        }
        receive(chunk);
        return null; // written already: read the next piece
    }

    /** Handles a piece of the body (valid during the call). */
    abstract void receive(ByteBuffer chunk) throws IOException;

    private HttpError tooLarge(long bytes) {
        return new HttpError(413, "upload of %d bytes or more refused (limit %d)", bytes, limits.maxBodySize());
    }

    /** Starts a file of this request; it is discarded unless {@link #storeAll()} stores it. */
    final IncomingFile newFile(String clientName) throws IOException {
        IncomingFile f = directory.create(clientName);
        files.add(f);
        return f;
    }

    /** Stores every file of the request, in order. */
    final List<StoredFile> storeAll() throws IOException {
        List<StoredFile> stored = new ArrayList<>();
        for (IncomingFile f : files) {
            stored.add(f.store());
        }
        return stored;
    }

    /** Answers with the stored files: an HTML page when the client asks for HTML, else JSON. */
    final void report(List<StoredFile> stored) {
        if (wantsHtml()) {
            setHeader("Content-Type", "text/html; charset=utf-8");
            write(Pages.uploaded(stored));
        } else {
            write(Map.of("files", stored));
        }
    }

    private boolean wantsHtml() {
        String accept = request().headers().get("Accept");
        return accept != null && accept.contains("text/html");
    }

    @Override
    protected void writeError(int statusCode, Throwable error) {
        String reason = getReason();
        String message = error instanceof HttpError he && he.logMessage() != null ? he.logMessage() : reason;
        if (wantsHtml()) {
            setHeader("Content-Type", "text/html; charset=utf-8");
            write(Pages.error(statusCode, reason, message));
        } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", statusCode);
            body.put("reason", reason);
            body.put("message", message);
            write(Map.of("error", body));
        }
    }

    /** The client went away mid-upload: nothing of this request stays on disk. */
    @Override
    protected void onConnectionClose() {
        discardAll("client disconnected");
    }

    /** Runs after every response; after a failed one the files are still unstored and go. */
    @Override
    protected void onFinish() {
        discardAll("request ended with " + getStatus());
    }

    private void discardAll(String reason) {
        for (IncomingFile f : files) {
            f.discard(reason);
        }
    }
}
