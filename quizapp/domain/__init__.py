"""Pure rules of the product: no Flask, no database; every function takes what it needs."""
