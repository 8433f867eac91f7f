// Placeholder so the target builds before its first tests land; delete when adding tests.
