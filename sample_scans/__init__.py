"""The synthetic sample scans: their generators and the simulated ways a paper reaches sohoa."""
