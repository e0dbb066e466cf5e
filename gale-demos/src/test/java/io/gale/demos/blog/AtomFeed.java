package io.gale.demos.blog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks a document against Atom 1.0's structure (RFC 4287): well-formed XML in the Atom
 * namespace; the feed with exactly one {@code id} (an absolute IRI), {@code title} and
 * {@code updated} (an RFC 3339 date-time), an {@code author} (so entries need none), a
 * {@code rel="self"} link; every entry with exactly one {@code id} (absolute, unique in the feed),
 * {@code title} and {@code updated}, at most one {@code published}, an alternate link, and content
 * whose {@code type} is text, html or xhtml. Returns the entries for further checks.
 */
final class AtomFeed {
    static final String NS = "http://www.w3.org/2005/Atom";

    /** One entry as read from the feed. */
    record FeedEntry(String id, String title, String link, OffsetDateTime updated, String contentType, String content) {
    }

    private AtomFeed() {
    }

    static List<FeedEntry> validate(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element feed = doc.getDocumentElement();
        assertThat(feed.getNamespaceURI()).isEqualTo(NS);
        assertThat(feed.getLocalName()).isEqualTo("feed");
        assertAbsolute(only(feed, "id").getTextContent());
        assertThat(only(feed, "title").getTextContent()).isNotBlank();
        date(only(feed, "updated"));
        assertThat(only(only(feed, "author"), "name").getTextContent()).isNotBlank();
        assertThat(children(feed, "link")).anySatisfy(l -> {
            assertThat(l.getAttribute("rel")).isEqualTo("self");
            assertAbsolute(l.getAttribute("href"));
        });
        List<FeedEntry> entries = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Element e : children(feed, "entry")) {
            String id = only(e, "id").getTextContent();
            assertAbsolute(id);
            assertThat(ids.add(id)).as("entry ids are unique: %s", id).isTrue();
            String title = only(e, "title").getTextContent();
            OffsetDateTime updated = date(only(e, "updated"));
            List<Element> published = children(e, "published");
            assertThat(published).hasSizeLessThanOrEqualTo(1);
            published.forEach(AtomFeed::date);
            Element alternate = children(e, "link").stream().filter(l -> l.getAttribute("rel").equals("alternate"))
                    .findFirst().orElseThrow(() -> new AssertionError("entry " + id + " has no alternate link"));
            assertAbsolute(alternate.getAttribute("href"));
            Element content = only(e, "content");
            assertThat(content.getAttribute("type")).isIn("text", "html", "xhtml");
            entries.add(new FeedEntry(id, title, alternate.getAttribute("href"), updated, content.getAttribute("type"),
                    content.getTextContent()));
        }
        return entries;
    }

    private static OffsetDateTime date(Element e) {
        // RFC 3339: a date-time with an offset (Z or +hh:mm)
        return OffsetDateTime.parse(e.getTextContent().strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private static void assertAbsolute(String iri) {
        assertThat(URI.create(iri.strip()).isAbsolute()).as("absolute IRI: %s", iri).isTrue();
    }

    private static Element only(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertThat(found).as("exactly one atom:%s in %s", name, parent.getLocalName()).hasSize(1);
        return found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && NS.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }
}
