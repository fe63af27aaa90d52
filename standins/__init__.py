"""Loopback stand-ins for Valve's services, serving real recorded responses.

The offline demo and the tests point yasp's configured endpoints at these servers;
production code talks to them exactly as it talks to Valve.
"""
