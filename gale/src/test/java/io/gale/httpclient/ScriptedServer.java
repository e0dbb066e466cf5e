package io.gale.httpclient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLContext;

/**
 * A raw-socket server that runs a script per accepted connection, for misbehaviour the client
 * must survive. Counts accepted connections. Blocking I/O on virtual threads; test-only.
 */
final class ScriptedServer implements AutoCloseable {
    /** What to do with one accepted connection ({@code index} counts from 0). */
    interface Script {
        void run(Socket socket, int index) throws Exception;
    }

    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    ScriptedServer(Script script) throws IOException {
        this(null, script);
    }

    ScriptedServer(SSLContext tls, Script script) throws IOException {
        ServerSocketFactory f = tls == null ? ServerSocketFactory.getDefault() : tls.getServerSocketFactory();
        server = f.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                int index = accepted.getAndIncrement();
                sockets.add(s);
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        script.run(s, index);
                    } catch (Exception e) {
                        // the client closing on us is part of most scripts
                    }
                });
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    int accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    /** Reads one request head (up to the empty line); null on EOF before any byte. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) ? state + 1 : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads a request head and its Content-Length body; returns the head, null on EOF. */
    static String readRequest(InputStream in) throws IOException {
        String head = readHead(in);
        if (head == null) {
            return null;
        }
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring(15).trim()));
            }
        }
        return head;
    }

    static void write(Socket s, String data) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(data.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Answers requests with {@code body} on the connection until the client closes it. */
    static void serveKeepAlive(Socket s, String body) throws IOException {
        while (readRequest(s.getInputStream()) != null) {
            write(s, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        }
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
}
