"""Pure Decree-30/2020/NĐ-CP rules: no Flask, no database, no file I/O.

Document types, numbers and symbols, date lines, signer blocks, recipient blocks and
Vietnamese text folding live here so that the CLI, the web app and the tests share them.
"""
