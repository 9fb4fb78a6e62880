#!/usr/bin/env escript
%% client.escript PORT NAME ROOTS PEER: one ssl:connect as the sender makes it
%% (sender-model.md section 6): TLS 1.2, verify_peer against ROOTS, SNI
%% and the HTTPS host name match for NAME ("-" for none), depth 10 (the
%% depth warning is chainscope's, not a refusal). An IP address cannot be
%% sent as SNI: then the connection checks the path only, and the name is
%% matched on PEER, the server's certificate, with the same match function.
%% Prints the connection's result term, then the IP match when there is one.
main([Port, Name, Roots, Peer]) ->
    ssl:start(),
    IP = case Name of "-" -> none; _ -> inet:parse_address(Name) end,
    {SNI, Check} = case {Name, IP} of
        {"-", _} -> {disable, []};
        {_, {ok, _}} -> {disable, []};
        _ -> {Name, [{customize_hostname_check, [{match_fun, public_key:pkix_verify_hostname_match_fun(https)}]}]}
    end,
    Opts = [{verify, verify_peer}, {cacertfile, Roots}, {versions, ['tlsv1.2']},
            {server_name_indication, SNI}, {depth, 10} | Check],
    io:format("~p~n", [ssl:connect("127.0.0.1", list_to_integer(Port), Opts, 10000)]),
    case IP of
        {ok, Addr} ->
            {ok, Bin} = file:read_file(Peer),
            [{'Certificate', Der, _} | _] = public_key:pem_decode(Bin),
            Match = public_key:pkix_verify_hostname(Der, [{ip, Addr}],
                        [{match_fun, public_key:pkix_verify_hostname_match_fun(https)}]),
            io:format("ip_match ~p~n", [Match]);
        _ -> ok
    end.
