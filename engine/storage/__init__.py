"""Storage: the database every part of Madoguchi shares, and the services over it."""
