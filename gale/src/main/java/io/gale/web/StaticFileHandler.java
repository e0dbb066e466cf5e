package io.gale.web;

import io.gale.concurrent.Futures;
import io.gale.http.ByteRange;
import io.gale.http.HttpUtil;
import io.gale.http.RangeResult;
import io.gale.iostream.StreamClosedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Serves the files of a directory (Tornado's {@code StaticFileHandler}). The {@code staticPath}
 * setting mounts it on {@code /static/(.*)}, {@code /(favicon\.ico)} and {@code /(robots\.txt)};
 * mount it elsewhere with a route whose one group is the file's path:
 *
 * <pre>{@code
 * Route.url("/content/(.*)", StaticFileHandler.class, Map.of("path", Path.of("/var/www")))
 * Route.url("/docs/(.*)", StaticFileHandler.class, Map.of("path", docs, "defaultFilename", "index.html"))
 * }</pre>
 *
 * <p>Init arguments: {@code path} (a {@link Path} or String, the root directory, required) and
 * {@code defaultFilename} (served for a directory; a directory URL without its final {@code /}
 * is redirected to it, 301; without this argument directories are refused, 403).
 *
 * <p><b>What a response carries.</b> {@code Accept-Ranges: bytes}, an {@code Etag} from the
 * file's version ({@link #getContentVersion}: its SHA-512), {@code Last-Modified}, the
 * {@code Content-Type} of its extension, and, for a versioned URL ({@code ?v=}, what
 * {@link RequestHandler#staticUrl} makes), {@code Cache-Control: max-age} and {@code Expires} ten
 * years ahead ({@link #getCacheTime}). {@code If-None-Match} (which wins when present) and
 * {@code If-Modified-Since} give 304. One byte range gives 206 with {@code Content-Range} (200 when
 * it covers the whole file, as Tornado, which some players need for {@code bytes=0-}); a range set
 * none of whose ranges overlaps the file gives 416 with {@code Content-Range: bytes *}/size.
 * <b>Several satisfiable ranges give the whole file, 200</b> (as Tornado; RFC 9110 lets a server
 * ignore Range, and a multipart/byteranges body would buy nothing a client cannot get with one
 * request per range). {@code If-Range} is honoured: a Range is used only when it names the
 * current ETag (strong comparison) or exactly the current Last-Modified.
 *
 * <p><b>Refused paths.</b> The request path is joined to the root and normalised before anything
 * is checked (see {@code StaticPaths}): {@code ..} (also percent-encoded, also with encoded
 * separators), absolute paths and symbolic links that lead out of the root are 403; NUL and
 * names the file system cannot have, and missing files, are 404; directories without
 * {@code defaultFilename} and non-regular files are 403; a directory redirect of a path starting
 * with {@code //} is 403 (it would be a protocol-relative URL: Tornado 6.3.2's open-redirect fix).
 *
 * <p><b>Sending.</b> The body goes through {@link io.gale.http.HttpExchange#writeFile}: on plain
 * TCP the head and the first 16 KiB leave in one write and the kernel copies the rest of the file
 * to the socket ({@code sendfile}), a slice at a time as the client reads; on TLS through one
 * bounded buffer; a slow client holds no memory. With {@code compressResponse} on, a compressible
 * type of at least 1 KiB (and never a range) is gzipped as it streams, 64 KiB at a time. A client
 * that leaves mid-file ends the request quietly (no error logged), as in Tornado.
 *
 * <p><b>Limits.</b>
 * <table>
 * <caption>What the static handler bounds</caption>
 * <tr><th>what</th><th>limit</th><th>why / when exceeded</th></tr>
 * <tr><td>ranges served as 206</td><td>1</td><td>more satisfiable ranges: the whole file, 200</td></tr>
 * <tr><td>range-specs in a Range header</td><td>16 ({@code RangeParser})</td><td>more: the header
 *     is ignored, 200 (range amplification, CVE-2011-3192)</td></tr>
 * <tr><td>sendfile slice / per loop turn</td><td>8 MiB / 16 MiB ({@code WriteQueue})</td><td>a
 *     fast client does not keep the loop from its other connections</td></tr>
 * <tr><td>TLS and non-file content buffer</td><td>64 KiB per loop / per response</td><td>held
 *     while a piece is encrypted or written; the next piece is read when the last was sent</td></tr>
 * <tr><td>gzip piece</td><td>64 KiB in, its deflate output out</td><td>the next piece is read when
 *     the last one was sent</td></tr>
 * <tr><td>content hashed for the version</td><td>64 MiB ({@code StaticVersions})</td><td>larger
 *     files get size and modification time as their version</td></tr>
 * <tr><td>files kept open between requests</td><td>256 per application, each closed after 60 s
 *     unused ({@code OpenFiles})</td><td>the least recently used is closed; a replaced file (new
 *     inode) is opened afresh</td></tr>
 * </table>
 *
 * <p><b>Extending</b> (Tornado's subclassing notes, same hooks): URL building with
 * {@link #makeStaticUrl}, {@link #parseUrlPath}, {@link #getCacheTime}, {@link #getVersion};
 * another store than the file system with {@link #getContent}, {@link #getContentSize},
 * {@link #getModifiedTime}, {@link #getAbsolutePath}, {@link #validateAbsolutePath} and
 * {@link #getContentVersion}; headers with {@link #setExtraHeaders} and {@link #getContentType}.
 * {@code makeStaticUrl}, {@code getVersion}, {@code getAbsolutePath} and
 * {@code getContentVersion} are also called on an instance attached to no request (the
 * application's URL maker): they must not use the request. During a request the fields
 * {@link #path}, {@link #absolutePath} and {@link #modified} are set as in Tornado.
 *
 * <p>Threading: as any handler; the file is read on the connection's loop (like nginx without
 * aio: for files mostly in the page cache).
 */
public class StaticFileHandler extends RequestHandler {
    /** Creates the handler; the application makes one per request. */
    public StaticFileHandler() {
    }

    /** Cache time of a versioned URL: ten years, in seconds (Tornado's {@code CACHE_MAX_AGE}). */
    public static final long CACHE_MAX_AGE = 86400L * 365 * 10;

    /** The root directory (init argument {@code path}), absolute and normalised. */
    protected Path root;
    /** Served for a directory (init argument {@code defaultFilename}), or null. */
    protected String defaultFilename;
    /** The requested path, relative to the root ({@link #parseUrlPath}'s result). */
    protected String path;
    /** The validated file ({@link #validateAbsolutePath}'s result). */
    protected Path absolutePath;
    /** The file's modification time, whole seconds ({@link #getModifiedTime}), or null. */
    protected Instant modified;

    private BasicFileAttributes attributes;
    private StaticVersions versions;

    @Override
    protected void initialize(Map<String, Object> initArgs) {
        Object p = initArgs.get("path");
        if (p == null) {
            throw new IllegalArgumentException("StaticFileHandler needs the init argument \"path\"");
        }
        root = (p instanceof Path pp ? pp : Path.of(p.toString())).toAbsolutePath().normalize();
        Object d = initArgs.get("defaultFilename");
        defaultFilename = d == null ? null : d.toString();
    }

    /**
     * Serves the file (Tornado's {@code get}).
     *
     * @param path the path
     * @return a future that completes when it is done, or fails with the error
     * @throws Exception any failure; the caller reports it
     */
    public CompletionStage<Void> get(String path) throws Exception {
        return serve(path, true);
    }

    /**
     * The same headers as {@link #get}, without the body, without opening the file.
     *
     * @param path the path
     * @return the same headers as {@link #get}, without the body, without opening the file
     * @throws Exception any failure; the caller reports it
     */
    public CompletionStage<Void> head(String path) throws Exception {
        return serve(path, false);
    }

    private CompletionStage<Void> serve(String urlPath, boolean includeBody) throws Exception {
        path = parseUrlPath(urlPath);
        absolutePath = validateAbsolutePath(root, getAbsolutePath(root, path));
        if (absolutePath == null) {
            return null; // answered there (a redirect)
        }
        modified = getModifiedTime();
        setHeaders();
        if (shouldReturn304()) {
            setStatus(304);
            return null;
        }
        long size = getContentSize();
        long start = 0;
        long length = size;
        String rangeHeader = request().headers().get("Range");
        if (rangeHeader != null && ifRangeHolds()) {
            switch (HttpUtil.parseRange(rangeHeader, size)) {
                case RangeResult.Unsatisfiable u -> {
                    setStatus(416);
                    setHeader("Content-Type", "text/plain");
                    setHeader("Content-Range", "bytes */" + size);
                    return null;
                }
                case RangeResult.Satisfiable s when s.ranges().size() == 1 && s.ranges().get(0).length() < size -> {
                    ByteRange r = s.ranges().get(0);
                    setStatus(206);
                    setHeader("Content-Range", r.contentRange(size));
                    start = r.start();
                    length = r.length();
                }
                default -> {
                    // no usable Range, the whole file asked for, or several ranges: the whole file
                }
            }
        }
        setContentLength(length); // typed: the exchange writes the field (for HEAD too)
        if (!includeBody) {
            return null;
        }
        ReadableByteChannel content = getContent(absolutePath, start, start + length);
        CompletableFuture<Void> sent = finishWithContent(content, start, length);
        if (sent.isDone() && !sent.isCompletedExceptionally()) {
            return null; // the usual small file: handed over already, no stage for the dispatcher to await
        }
        return sent.handle((v, e) -> {
            if (e != null && !(Futures.unwrap(e) instanceof StreamClosedException)) {
                throw e instanceof CompletionException ce ? ce : new CompletionException(e);
            }
            return null; // a client that left mid-file is no error (Tornado returns quietly too)
        });
    }

    /** Whether a Range applies: no If-Range, or one naming the current ETag (strongly) or Last-Modified. */
    private boolean ifRangeHolds() {
        String ifRange = request().headers().get("If-Range");
        if (ifRange == null) {
            return true;
        }
        ifRange = ifRange.strip();
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
            return ifRange.equals(getResponseHeader("Etag")); // a weak tag never matches strongly
        }
        Optional<Instant> date = HttpUtil.parseHttpDate(ifRange);
        return modified != null && date.isPresent() && date.get().equals(modified);
    }

    // ------------------------------------------------------------------------------ headers

    /** Sets Accept-Ranges, Etag, Last-Modified, Content-Type and caching headers, then {@link #setExtraHeaders}. */
    protected void setHeaders() {
        setHeader("Accept-Ranges", "bytes");
        setEtagHeader();
        if (modified != null) {
            setHeader("Last-Modified", modified);
        }
        String contentType = getContentType();
        if (contentType != null) {
            setHeader("Content-Type", contentType);
        }
        long cacheTime = getCacheTime(path, modified, contentType);
        if (cacheTime > 0) {
            setHeader("Expires", Instant.now().plusSeconds(cacheTime));
            setHeader("Cache-Control", "max-age=" + cacheTime);
        }
        setExtraHeaders(path);
    }

    /**
     * Whether the client's copy is current: {@code If-None-Match} if sent, else {@code If-Modified-Since}.
     *
     * @return whether the client's copy is current: {@code If-None-Match} if sent, else {@code If-Modified-Since}
     */
    protected boolean shouldReturn304() {
        if (request().headers().get("If-None-Match") != null) {
            return checkEtagHeader();
        }
        String ims = request().headers().get("If-Modified-Since");
        if (ims != null && modified != null) {
            Optional<Instant> since = HttpUtil.parseHttpDate(ims);
            return since.isPresent() && !since.get().isBefore(modified);
        }
        return false;
    }

    /** The ETag: the file's version in quotes (the same for a range as for the whole file), or null. */
    @Override
    protected String computeEtag() {
        return versions().etag(absolutePath, this::getContentVersion);
    }

    /**
     * Headers a subclass adds (Tornado's {@code set_extra_headers}); nothing by default.
     *
     * @param path the path
     */
    protected void setExtraHeaders(String path) {
    }

    /**
     * The Content-Type, from the file's extension by default.
     *
     * @return the Content-Type, from the file's extension by default
     */
    protected String getContentType() {
        Path name = absolutePath.getFileName();
        return name == null ? ContentTypes.DEFAULT : ContentTypes.forFileName(name.toString());
    }

    /**
     * Seconds the response may be cached (positive: Cache-Control and Expires are set), or 0 for
     * the client's heuristics. Default: {@link #CACHE_MAX_AGE} for a versioned URL ({@code v} in
     * the query), else 0.
     *
     * @param path the path
     * @param modified the modified
     * @param contentType the media type
     * @return the number
     */
    protected long getCacheTime(String path, Instant modified, String contentType) {
        return !request().query().isEmpty() && request().queryArguments().containsKey("v") ? CACHE_MAX_AGE : 0;
    }

    // --------------------------------------------------------------------------------- paths

    /**
     * The file path, relative to the root, of the URL path the route matched; as is by default.
     *
     * @param urlPath the URL path
     * @return the file path, relative to the root, of the URL path the route matched; as is by default
     */
    protected String parseUrlPath(String urlPath) {
        return urlPath;
    }

    /**
     * Where {@code path} is: {@code root/path}, absolute and normalised (Tornado's
     * {@code get_absolute_path}); null when the path cannot name a file (NUL), answered 404.
     * Also called for {@link #getVersion} on the URL-maker instance.
     *
     * @param root the root directory
     * @param path the path
     * @return where {@code path} is: {@code root/path}, absolute and normalised (Tornado's {@code get_absolute_path}); null when the path cannot name a file (NUL), answered 404
     */
    protected Path getAbsolutePath(Path root, String path) {
        return StaticPaths.join(root, path);
    }

    /**
     * Checks the file may be served and returns what to serve (Tornado's
     * {@code validate_absolute_path}); may answer itself (a redirect) and return null. Throws
     * {@link HttpError}: 403 outside the root (also through a link), for a directory without
     * {@code defaultFilename} or a non-regular file; 404 when missing.
     *
     * @param root the root directory
     * @param absolutePath the absolute path of the file
     * @return the path
     * @throws IOException if an I/O error occurs
     */
    protected Path validateAbsolutePath(Path root, Path absolutePath) throws IOException {
        if (absolutePath == null) {
            throw new HttpError(404);
        }
        if (StaticPaths.outside(root, absolutePath)) {
            throw new HttpError(403, "%s is not in root static directory", path);
        }
        BasicFileAttributes attrs = readAttributes(root, absolutePath);
        if (attrs.isDirectory() && defaultFilename != null) {
            String requestPath = request().path();
            if (!requestPath.endsWith("/")) {
                if (requestPath.startsWith("//")) {
                    // "//host/..." is a protocol-relative URL: redirecting there is an open redirect
                    throw new HttpError(403, "cannot redirect path with two initial slashes");
                }
                redirect(requestPath + "/", true);
                return null;
            }
            absolutePath = absolutePath.resolve(defaultFilename);
            attrs = readAttributes(root, absolutePath);
        }
        if (!attrs.isRegularFile()) {
            throw new HttpError(403, "%s is not a file", path);
        }
        attributes = attrs;
        return absolutePath;
    }

    /**
     * The file's attributes, links followed; 404 when missing, 403 when a link on the way leads
     * out of the root.
     */
    private BasicFileAttributes readAttributes(Path root, Path p) throws IOException {
        try {
            BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (StaticPaths.linksLeadOut(root, p, attrs.isSymbolicLink())) {
                throw new HttpError(403, "%s leads out of the root static directory", path);
            }
            return attrs.isSymbolicLink() ? Files.readAttributes(p, BasicFileAttributes.class) : attrs;
        } catch (NoSuchFileException e) {
            throw new HttpError(404);
        }
    }

    // ------------------------------------------------------------------------------- content

    /**
     * The bytes {@code [start, end)} of the resource (Tornado's {@code get_content}). The default
     * opens the file (or leases a channel kept open for it, see {@code OpenFiles}: while the
     * file at that path is the same file, by device and inode, as the one just examined): a
     * {@link FileChannel} is sent from offset {@code start} with
     * {@code sendfile}, whatever its position; any other channel (an override serving from
     * elsewhere) must be positioned at {@code start} and is read 64 KiB at a time. The channel is
     * closed once sent (or when the client left).
     *
     * @param absolutePath the absolute path of the file
     * @param start the offset of the first byte
     * @param end the offset after the last byte
     * @return the bytes {@code [start, end)} of the resource (Tornado's {@code get_content})
     * @throws IOException if an I/O error occurs
     */
    protected ReadableByteChannel getContent(Path absolutePath, long start, long end) throws IOException {
        if (attributes != null && absolutePath.equals(this.absolutePath) && application() != null) {
            // the file just examined: a channel kept open for it serves as well as a new one
            return application().staticFiles().openFiles.open(absolutePath, attributes.fileKey());
        }
        return FileChannel.open(absolutePath, StandardOpenOption.READ);
    }

    /**
     * The resource's size; the file's by default.
     *
     * @return the resource's size; the file's by default
     * @throws IOException if an I/O error occurs
     */
    protected long getContentSize() throws IOException {
        return stat().size();
    }

    /**
     * The resource's modification time, whole seconds (as HTTP dates), or null; the file's by default.
     *
     * @return the resource's modification time, whole seconds (as HTTP dates), or null; the file's by default
     * @throws IOException if an I/O error occurs
     */
    protected Instant getModifiedTime() throws IOException {
        return Instant.ofEpochSecond(stat().lastModifiedTime().toInstant().getEpochSecond());
    }

    private BasicFileAttributes stat() throws IOException {
        if (attributes == null) {
            attributes = Files.readAttributes(absolutePath, BasicFileAttributes.class);
        }
        return attributes;
    }

    /**
     * The version of the resource at {@code absolutePath}, for URLs and ETags (Tornado's
     * {@code get_content_version}): the SHA-512 of the file in hex (see {@code StaticVersions}
     * for large files). Computed once per file while {@code staticHashCache} is on.
     *
     * @param absolutePath the absolute path of the file
     * @return the version of the resource at {@code absolutePath}, for URLs and ETags (Tornado's {@code get_content_version}): the SHA-512 of the file in hex (see {@code StaticVersions} for large files)
     */
    protected String getContentVersion(Path absolutePath) {
        try {
            return StaticVersions.contentHash(absolutePath);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------- URLs

    /**
     * The URL of a static file, relative to the host (Tornado's {@code make_static_url}):
     * {@code staticUrlPrefix + path}, with {@code ?v=<version>} when {@code includeVersion} and
     * a version is known. What {@link RequestHandler#staticUrl} returns.
     *
     * @param settings the settings
     * @param path the path
     * @param includeVersion true to append {@code ?v=} and the content hash
     * @return the URL of a static file, relative to the host (Tornado's {@code make_static_url}): {@code staticUrlPrefix + path}, with {@code ?v=<version>} when {@code includeVersion} and a version is known
     */
    public String makeStaticUrl(ApplicationSettings settings, String path, boolean includeVersion) {
        String url = settings.staticUrlPrefix() + path;
        if (!includeVersion) {
            return url;
        }
        String version = getVersion(settings, path);
        return version == null ? url : url + "?v=" + version;
    }

    /**
     * The version string of {@code path} for its URL, or null (Tornado's {@code get_version}).
     *
     * @param settings the settings
     * @param path the path
     * @return the version string of {@code path} for its URL, or null (Tornado's {@code get_version})
     */
    public String getVersion(ApplicationSettings settings, String path) {
        Path abs = getAbsolutePath(settings.staticPath(), path);
        return abs == null ? null : versions().version(abs, this::getContentVersion);
    }

    // ------------------------------------------------------------------------------ plumbing

    /** For the application's URL-maker instance, which has no request. */
    final void useVersions(StaticVersions v) {
        versions = v;
    }

    private StaticVersions versions() {
        if (versions == null) {
            versions = application().staticFiles().versions;
        }
        return versions;
    }
}
