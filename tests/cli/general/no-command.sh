vocal
