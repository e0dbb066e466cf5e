package io.gale.demos.blog;

/**
 * An author: who may compose and edit entries. {@code hashedPassword} is {@link Passwords}'s
 * encoded hash; {@link #toString()} leaves it out, so a logged author never shows it.
 */
public record Author(int id, String email, String name, String hashedPassword) {
    @Override
    public String toString() {
        return "Author[id=" + id + ", email=" + email + ", name=" + name + "]";
    }
}
