/** TCP server and client, socket binding and name resolution (Tornado's {@code tcpserver}, {@code tcpclient}, {@code netutil}). */
package io.gale.net;
