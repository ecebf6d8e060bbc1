"""Audio in and out: WAV files, resampling, the microphone, earcons. No dialogue imports."""
