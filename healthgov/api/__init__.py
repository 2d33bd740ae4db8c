"""healthgov.api"""
