#!/usr/bin/env escript
%% An Erlang/OTP ssl client configured as the webhook sender
%% (shared/spec/sender-model.md section 6): TLS 1.2 only, the seed's cipher
%% suites passed explicitly, verify_peer against a CA file, SNI, the HTTPS
%% host-name match, and the client certificate presented whenever asked.
%% After the handshake it sends one HEAD / and reads the status line, as a
%% delivery would meet an HTTP-level refusal.
%%
%% Usage: sender.escript HOST PORT SNI CAFILE CERTFILE|- KEYFILE|- TIMEOUT_MS SUITE...
%% Prints one line:
%%   ok PROTOCOL SUITE http STATUS-LINE | ok PROTOCOL SUITE http none
%%   refused PROTOCOL SUITE REASON        (the handshake completed, the request did not)
%%   error REASON                         (the handshake failed)
main([Host, Port, SNI, CAFile, CertFile, KeyFile, TimeoutMs | Suites]) ->
    {ok, _} = application:ensure_all_started(ssl),
    Timeout = list_to_integer(TimeoutMs),
    Ciphers = [ssl:str_to_suite(S) || S <- Suites],
    Opts = [{versions, ['tlsv1.2']},
            {ciphers, Ciphers},
            {verify, verify_peer},
            {cacertfile, CAFile},
            {server_name_indication, SNI},
            {customize_hostname_check, [{match_fun, public_key:pkix_verify_hostname_match_fun(https)}]},
            {active, false}]
        ++ client_cert(CertFile, KeyFile),
    case ssl:connect(Host, list_to_integer(Port), Opts, Timeout) of
        {ok, S} ->
            {ok, Info} = ssl:connection_information(S, [protocol, selected_cipher_suite]),
            Proto = proplists:get_value(protocol, Info),
            Suite = ssl:suite_to_str(proplists:get_value(selected_cipher_suite, Info)),
            Head = io_lib:format("ok ~s ~s", [Proto, Suite]),
            Sent = ssl:send(S, ["HEAD / HTTP/1.1\r\nHost: ", SNI, "\r\nConnection: close\r\n\r\n"]),
            case Sent =:= ok andalso ssl:recv(S, 0, min(Timeout, 3000)) of
                false ->
                    {error, SendErr} = Sent,
                    io:format("refused ~s ~s ~0p~n", [Proto, Suite, SendErr]);
                {ok, Data} ->
                    [Line | _] = string:split(Data, "\r\n"),
                    io:format("~s http ~s~n", [Head, Line]);
                {error, timeout} ->
                    io:format("~s http none~n", [Head]);
                {error, Reason} ->
                    io:format("refused ~s ~s ~0p~n", [Proto, Suite, Reason])
            end,
            ssl:close(S);
        {error, Reason} ->
            io:format("error ~0p~n", [Reason])
    end.

client_cert("-", _) -> [];
client_cert(CertFile, KeyFile) -> [{certfile, CertFile}, {keyfile, KeyFile}].
