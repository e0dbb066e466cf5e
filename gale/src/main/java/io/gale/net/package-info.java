/**
 * TCP server and client, socket binding and name resolution (Tornado's {@code tcpserver},
 * {@code tcpclient}, {@code netutil}).
 *
 * <ul>
 *   <li>{@link io.gale.net.TcpServer}: listens, accepts on one loop and spreads connections over a
 *       {@link io.gale.ioloop.LoopGroup}; each connection is an {@link io.gale.iostream.IOStream}
 *       (or {@link io.gale.iostream.SslIOStream}) handed to {@link io.gale.net.StreamHandler}.
 *   <li>{@link io.gale.net.TcpClient}: resolve, dual-stack Happy Eyeballs connect, optional TLS,
 *       under one timeout ({@link io.gale.net.ConnectOptions}).
 *   <li>{@link io.gale.net.Resolver}, {@link io.gale.net.DefaultResolver},
 *       {@link io.gale.net.OverrideResolver}: asynchronous name resolution.
 *   <li>{@link io.gale.net.NetUtil}: binding listening sockets, recognising IP literals.
 * </ul>
 */
package io.gale.net;
