"""A small HR file (header and rows) shared by the HR import and the staff admin tests."""

from __future__ import annotations

HEADER = "medarbejdernummer;navn;email;forvaltning;enhed;stilling;startdato;slutdato;leder_for"
ROWS = [
    "000101;Anna Hansen;anna@kk.example;SOF;Center for Udsatte Voksne / Team Nord;Socialrådgiver;01-03-2020;;",
    "000102;Bo Jensen;bo@kk.example;SOF;Center for Udsatte Voksne / Team Syd;Sagsbehandler;2021-06-15;;",
    "000103;Leila Ahmed;leila@kk.example;SOF;Center for Udsatte Voksne;Centerchef;01-01-2015;;"
    "\"Center for Udsatte Voksne;Center for Udsatte Voksne / Team Nord\"",
    "000201;Carl Berg;carl@kk.example;BIF;Jobcenter København / Ydelsesservice / Team 1;Jobkonsulent;01-02-2019;;",
]
