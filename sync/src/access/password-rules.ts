/** Length limits of a password, the same for hub accounts and the edge's local accounts. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
