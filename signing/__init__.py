"""PAdES signing of e-copies with the agency's identity, and verification with a report in Vietnamese."""
