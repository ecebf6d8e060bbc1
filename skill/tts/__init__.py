"""Speech out through pyttsx3 (espeak-ng underneath on Linux)."""
