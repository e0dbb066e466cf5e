package io.gale.demos.blog;

/** The checks on a new author's fields, one place for the form and the command line. Stateless. */
final class Credentials {
    private Credentials() {
    }

    /** What is wrong with these fields for a new author, or null if nothing. */
    static String newAuthorProblem(String email, String name, String password, BlogLimits limits) {
        if (email.isEmpty() || name.isEmpty() || password.isEmpty()) {
            return "Email, name and password are all needed.";
        }
        int at = email.indexOf('@');
        if (at <= 0 || at == email.length() - 1 || email.chars().anyMatch(Character::isWhitespace)) {
            return "That is not an email address.";
        }
        if (email.length() > limits.maxNameChars() || name.length() > limits.maxNameChars()) {
            return "Email and name may have at most " + limits.maxNameChars() + " characters.";
        }
        if (password.length() < limits.minPasswordChars() || password.length() > limits.maxPasswordChars()) {
            return "The password needs " + limits.minPasswordChars() + " to " + limits.maxPasswordChars() + " characters.";
        }
        return null;
    }
}
