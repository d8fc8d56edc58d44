"""The CME Globex calendar from two libraries, cross-checked: sessions, early closes, holidays."""
