vocal frobnicate
