/** The side of the square images the chapter-10 network reads (the book's 150 × 150). */
export const SIZE = 150;
